# edge-canary rule, part 2 of 4: vcl_fetch.
# Install as a VCL snippet of type "fetch", priority 5 (before the service's own fetch logic):
#   fastly vcl snippet create --service-id "$SERVICE_ID" --version latest --autoclone \
#     --name edge-canary-fetch --type fetch --priority 5 --content snippets/vcl/edge-canary-fetch.vcl
#
# Why: services in front of a private bucket usually force a long TTL on everything the bucket
# returns (GCS answers `Cache-Control: private, max-age=0` for every object of a private bucket,
# so the bucket's own headers are overridden). The canary object's `no-store` would be overridden
# with them. Returning here, before that logic, keeps the canary uncacheable and also skips any
# fetch-time restart onto a fallback backend (a 403 from the primary goes to the client as is).
if (req.http.Edge-Canary) {
  set beresp.ttl = 0s;
  set beresp.grace = 0s;
  set beresp.stale_if_error = 0s;
  set beresp.stale_while_revalidate = 0s;
  set beresp.cacheable = false;
  return(pass);
}
