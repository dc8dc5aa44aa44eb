// node-postgres warns once per process when a query is queued on a connection still busy with
// another — queries of one transaction sent at once (Promise.all on `tx`); pg 9 will refuse them.
// In tests that warning fails the run, so no such site goes unnoticed.
process.on('warning', (warning) => {
  if (warning.name === 'DeprecationWarning' && warning.message.includes('already executing a query')) throw warning;
});
