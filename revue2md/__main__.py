from revue2md.cli import main

main()
