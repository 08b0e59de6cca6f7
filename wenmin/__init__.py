"""Wenmin (问民): hear the public, solve what it raises, compare the results in the open."""
