"""Tools for the ingress-nginx Helm chart: values loading, schema, lint and rendering."""
