"""The archive's name and description (settings, from the environment) for every template."""
from django.conf import settings


def site(request):
    return {
        "site_name": settings.BAOKU_SITE_NAME,
        "site_description": settings.BAOKU_SITE_DESCRIPTION,
    }
