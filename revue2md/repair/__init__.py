"""The `clean` command's repair of markdown pages migrated earlier, edited byte-exactly."""
