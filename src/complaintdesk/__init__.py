"""complaintdesk: complaint handling for sports-betting operators."""

__version__ = "0.1.0"
