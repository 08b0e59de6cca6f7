"""Households (户): their members and care categories, kept as personal data; who a needs survey must visit."""
