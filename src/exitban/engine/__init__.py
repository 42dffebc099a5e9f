"""The compiled engine: counter-based random numbers, the unit kernel, the central queues, the day loop."""
