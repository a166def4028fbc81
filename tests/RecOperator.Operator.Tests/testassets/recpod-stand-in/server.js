// Stands in for the inference pod image where a test runs the operator's pod template on DevCluster's node agent
// without a model: it answers the health endpoints the template's probes ask for on RECPOD_HTTP_PORT, and
// /artifact-ca answers the file RECPOD_ARTIFACT_CA names (as the pod would read it), /env/NAME the variable NAME
// (404 when unset). The gRPC port only accepts connections, which the node agent's gRPC probe takes as alive.
const http = require('http');
const fs = require('fs');
const net = require('net');
http.createServer((req, res) => {
  if (req.url === '/artifact-ca') {
    fs.readFile(process.env.RECPOD_ARTIFACT_CA || '', (err, data) => { res.statusCode = err ? 404 : 200; res.end(err ? String(err) : data); });
    return;
  }
  if (req.url.startsWith('/env/')) {
    const value = process.env[decodeURIComponent(req.url.slice('/env/'.length))];
    res.statusCode = value === undefined ? 404 : 200;
    res.end(value === undefined ? 'unset' : value);
    return;
  }
  res.end('ok');
}).listen(Number(process.env.RECPOD_HTTP_PORT), '127.0.0.1');
net.createServer((socket) => socket.end()).listen(Number(process.env.RECPOD_GRPC_PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
