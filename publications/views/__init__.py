"""Views of the publications app: pages, exports and the partners' portal."""
