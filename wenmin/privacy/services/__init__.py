"""The one door for every write of the privacy app."""
