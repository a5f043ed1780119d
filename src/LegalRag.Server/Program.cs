using LegalRag.Server;

// Thin host: everything is composed in LegalRagServer (also used by `legalrag serve` and the tests).
var app = await LegalRagServer.CreateAsync(new ServerStartOptions { Args = args });
await app.RunAsync();
