// Small images of our own for the real node (python/ingress_nginx_values/cluster/images.py):
// standard library only, built static (CGO off) onto an empty base.
module tools.local/images

go 1.26.0
