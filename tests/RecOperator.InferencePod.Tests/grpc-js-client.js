// Drives the pod with @grpc/grpc-js, a real gRPC client: health, metadata, ModelInfer and a bad-shape call.
// Usage: node grpc-js-client.js HOST:PORT REQUEST.json PROTO_DIR [COMPRESSION]  (prints one JSON object)
// COMPRESSION is grpc-js's channel default: 0 identity (the default), 1 deflate, 2 gzip; every request message is then
// compressed with it (grpc-js falls back to identity only when a server's grpc-accept-encoding lacks it).
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');
const fs = require('fs');
const [address, requestFile, protoDir, compression] = process.argv.slice(2);
const channelOptions = { 'grpc.default_compression_algorithm': Number(compression ?? 0) };
const options = { keepCase: true, longs: String, enums: String, defaults: true, includeDirs: [protoDir] };
const definition = grpc.loadPackageDefinition(loader.loadSync(['grpc_predict_v2.proto', 'grpc/health/v1/health.proto'], options));
const inference = new definition.inference.GRPCInferenceService(address, grpc.credentials.createInsecure(), channelOptions);
const health = new definition.grpc.health.v1.Health(address, grpc.credentials.createInsecure(), channelOptions);
const call = (client, method, request) => new Promise((resolve) => {
  client[method](request, { deadline: Date.now() + 10000 }, (error, response) => resolve({ error, response }));
});
(async () => {
  const request = JSON.parse(fs.readFileSync(requestFile, 'utf8'));
  const live = await call(inference, 'ServerLive', {});
  const check = await call(health, 'Check', { service: '' });
  const metadata = await call(inference, 'ModelMetadata', { name: request.model_name });
  const infer = await call(inference, 'ModelInfer', request);
  const bad = JSON.parse(JSON.stringify(request));
  bad.inputs[0].shape = [1, 5];
  const badCall = await call(inference, 'ModelInfer', bad);
  if (live.error || check.error || metadata.error || infer.error) {
    console.error(JSON.stringify({ live: live.error?.message, check: check.error?.message, metadata: metadata.error?.message, infer: infer.error?.message }));
    process.exit(1);
  }
  console.log(JSON.stringify({
    live: live.response.live,
    health: check.response.status,
    inputs: metadata.response.inputs.length,
    scores: infer.response.outputs[0].contents.fp32_contents,
    badShapeCode: badCall.error ? badCall.error.code : 0,
  }));
  process.exit(0);
})();
