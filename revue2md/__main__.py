from revue2md.cli.app import main

main()
