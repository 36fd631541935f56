"""The customer portal: file, follow and escalate a complaint in the browser."""
