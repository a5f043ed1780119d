// Answer texts, question cues and prompts live in the language packs (LegalRag.Core/Languages).
global using LegalRag.Core.Languages;
