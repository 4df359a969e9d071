"""The release and namespace a values set is rendered or linted for when none is named.

Kept apart from rendering.py so that linting does not import the Helm client.
"""
from __future__ import annotations

DEFAULT_RELEASE = "ingress-nginx"
DEFAULT_NAMESPACE = "ingress-nginx"
