"""`python -m myositis.cli.main_module` runs the CLI (used by tests that spawn the server)."""

from myositis.cli import main

if __name__ == "__main__":
    main()
