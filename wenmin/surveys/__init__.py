"""问需: households, needs survey forms, visit plans and door-to-door visits."""
