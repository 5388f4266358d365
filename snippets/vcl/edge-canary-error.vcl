# edge-canary rule, part 4 of 4: vcl_error.
# Install as a VCL snippet of type "error", priority 5:
#   fastly vcl snippet create --service-id "$SERVICE_ID" --version latest --autoclone \
#     --name edge-canary-error --type error --priority 5 --content snippets/vcl/edge-canary-error.vcl
#
# Why: some services also restart onto the fallback from vcl_error (backend unreachable, first-byte
# timeout). For the canary, deliver the error as it is, so edge-canary sees the outage.
if (req.http.Edge-Canary) {
  if (req.restarts > 0) {
    set obj.http.Fastly-Restarts = req.restarts;
  }
  set obj.http.Cache-Control = "no-store";
  return(deliver);
}
