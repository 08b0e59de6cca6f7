"""问政: county leaders' reception days, field visits and mailboxes."""
