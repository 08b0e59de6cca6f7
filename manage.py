#!/usr/bin/env python
"""Django's command-line utility; the same as the `wenmin` console script."""

from wenmin.cli import main

if __name__ == "__main__":
    main()
