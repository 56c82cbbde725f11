"""Machine translation: backends behind one protocol, markup protection, and the orchestration of requests."""
