"""How long a browser test waits for what it expects: upper bounds, met at once on an idle machine, that still hold
on a loaded two-core machine running the suite twice at the same time. A wait ends as soon as its condition holds;
tests wait for lasting state (the saved record on the page), never for a toast, which fades."""

PATIENCE = 30  # seconds: a page, its data, a save and the page that follows (NiceGUI's Screen allows 4)
SLOW = 60  # seconds: the first AI analysis of a tenant, which builds its index of legal texts first
