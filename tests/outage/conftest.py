"""The booking-during-outage test runs only in the child process tests/test_broker_outage.py starts."""

import os

collect_ignore = [] if os.environ.get("OUTAGE_REDIS_URL") else ["test_booking_during_outage.py"]
