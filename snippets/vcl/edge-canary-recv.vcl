# edge-canary rule, part 1 of 4: vcl_recv.
# Install as a versioned VCL snippet of type "recv" with a HIGH priority number, so it runs after
# the service's own recv snippets (backend selection, URL rewriting) and only replaces the final
# `return(lookup)` for this one path:
#   fastly vcl snippet create --service-id "$SERVICE_ID" --version latest --autoclone \
#     --name edge-canary-recv --type recv --priority 900 --content snippets/vcl/edge-canary-recv.vcl
# In fully custom VCL, paste it at the end of vcl_recv, after the backend is chosen.
#
# Why: edge-canary GETs /edge-canary/canary.json through this service to prove that the service
# can read its bucket right now. A cached copy (or one fetched from the archive bucket) would
# answer 200 while every uncached package file fails: the June 2022 PyPI outage. So the canary
# path is always `pass`: never looked up in cache, never stored, never served stale.
#
# A passed request runs vcl_pass, not vcl_miss: if the service signs its bucket requests in
# vcl_miss only, sign in vcl_pass too (the canary then answers 403 AccessDenied until you do).
#
# Edge-Canary is an internal marker for the other snippets; a client must not be able to set it
# (it would turn caching off for any URL), so it is removed first, on every pass through recv.
unset req.http.Edge-Canary;
if (urldecode(req.url.path) == "/edge-canary/canary.json") {
  set req.http.Edge-Canary = "1";
  # Never restart for this path: the fetch, deliver and error snippets return before the
  # service's restart logic runs. If your custom VCL restarts before its `#FASTLY` macros, add
  # `&& !req.http.Edge-Canary` to that restart condition too; should a restart still happen, the
  # deliver snippet marks the reply with Fastly-Restarts and edge-canary reports served_by_fallback.
  return(pass);
}
