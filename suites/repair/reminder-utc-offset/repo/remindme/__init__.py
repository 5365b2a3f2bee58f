"""Calendar reminders: events with start times and "remind me N minutes before" rules."""
