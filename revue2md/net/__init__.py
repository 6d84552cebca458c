"""HTTP: the one client and retry policy, the response cache, the rate limiter."""
