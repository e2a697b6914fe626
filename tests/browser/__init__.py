"""Real-browser tests: the portal served by pytest-django's live_server, driven in Chromium."""
