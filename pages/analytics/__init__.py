"""Sales analytics: RFM dashboard, segments, recommendations and data quality."""

from pages.analytics import analytics_dashboard, data_quality, recommendation_list, segment_clients


def register() -> None:
    analytics_dashboard.register()
    segment_clients.register()
    recommendation_list.register()
    data_quality.register()
