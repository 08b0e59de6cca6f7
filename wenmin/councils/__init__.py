"""问计: villagers' councils, proposals and the 四议两公开 decisions."""
