"""Mail coming in: replies that join their case, new complaints, and mail held for staff."""
