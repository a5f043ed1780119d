using LegalRag.Cli;

return await LegalRagCli.RunAsync(args);
