// A tiny HTTP server standing in for a pod in the node agent tests. It answers its pid (so a test can tell which
// process served it); /slow answers after 1.5 s. /healthz answers 200 until /sicken is called, then 500 (to fail a
// liveness probe). /env-file/NAME answers the file whose path is in env NAME (a mounted volume as the container
// sees it). With EXIT_AT_ONCE=CODE it exits with CODE before listening (a crash-looping container), first writing
// EXIT_MESSAGE to stderr when set.
// On SIGTERM it stops accepting, lets in-flight requests finish, and exits; with IGNORE_TERM set it ignores SIGTERM
// (to be SIGKILLed). EVENTS_FILE records what happened.
if (process.env.EXIT_AT_ONCE) {
  // EXIT_MESSAGE: its last words, for the termination message (terminationMessagePolicy FallbackToLogsOnError).
  if (process.env.EXIT_MESSAGE) console.error(process.env.EXIT_MESSAGE);
  process.exit(Number(process.env.EXIT_AT_ONCE));
}
const http = require('http');
const fs = require('fs');
const note = (line) => { if (process.env.EVENTS_FILE) fs.appendFileSync(process.env.EVENTS_FILE, line + '\n'); };
let sick = false;
const server = http.createServer((req, res) => {
  const answer = () => res.end(String(process.pid));
  if (req.url === '/healthz') { res.statusCode = sick ? 500 : 200; res.end(sick ? 'sick' : 'ok'); return; }
  if (req.url === '/sicken') { sick = true; note('sick ' + process.pid); answer(); return; }
  if (req.url.startsWith('/env-file/')) {
    fs.readFile(process.env[req.url.slice('/env-file/'.length)] || '', (err, data) => { res.statusCode = err ? 404 : 200; res.end(err ? String(err) : data); });
    return;
  }
  if (req.url === '/slow') setTimeout(answer, 1500); else answer();
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log('listening ' + process.pid + ' on ' + process.env.PORT);
  note('listening ' + process.pid);
});
process.on('SIGTERM', () => {
  note('sigterm ' + process.pid);
  if (process.env.IGNORE_TERM) return;
  server.close(() => { note('drained ' + process.pid); process.exit(0); });
  server.closeIdleConnections();
});
