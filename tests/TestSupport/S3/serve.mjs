// Starts s3rver on 127.0.0.1 for one test process: `node serve.mjs <directory> <bucket>...`.
// Port 0 lets the OS pick a free port, so no probe-then-bind race; the chosen port is printed as "listening <port>".
// It stops when its standard input closes: the test host closes it on dispose, and the OS closes it when the host
// dies, so a killed test run leaves no server behind.
import S3rver from 's3rver';

const [directory, ...buckets] = process.argv.slice(2);
if (!directory) {
  console.error('usage: node serve.mjs <directory> <bucket>...');
  process.exit(2);
}
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory,
  silent: true,
  configureBuckets: buckets.map(name => ({ name })),
});
const { port } = await server.run();
console.log(`listening ${port}`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
