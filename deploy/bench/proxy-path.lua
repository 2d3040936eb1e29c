-- wrk through a forward proxy: wrk connects to the URL on its command line (the proxy) and, with this script,
-- sends the request line in absolute form, "GET http://backend/path HTTP/1.1", as an app configured with
-- HTTP_PROXY does. WRK_TARGET is that absolute URL; pass "Host: backend" with -H. Only wrk.path is set here, so
-- wrk keeps its fast static-request path; the "done" hook that prints the BENCH line is the shared harness's
-- report.lua (REPORT_LUA).
wrk.path = os.getenv("WRK_TARGET")
dofile(os.getenv("REPORT_LUA"))
