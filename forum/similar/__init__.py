"""Similar questions while asking: up to five published questions whose words match a title being typed."""
