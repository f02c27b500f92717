"""Support missions, workshops and deliverables: the models come with their own issue."""
