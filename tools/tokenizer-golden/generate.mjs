// Generates golden token ids for the C# tokenizer tests with transformers.js (@huggingface/transformers).
//
// Usage: see run.sh (installs transformers.js into a temp folder outside the repo and runs this file there).
//   node generate.mjs <transformers-module-path> <repo-root> <minilm-tokenizer-dir>
//
// Ids are written WITHOUT truncation: transformers.js truncates by slicing the finished sequence (dropping the
// final [SEP]/</s>), whereas Hugging Face tokenizers (Rust/Python), which real models were trained with, truncate the
// content and keep the special tokens. The C# tests derive truncation expectations from these full sequences.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [transformersPath, repoRoot, miniLmDir] = process.argv.slice(2);
const { AutoTokenizer, env } = await import(pathToFileURL(transformersPath).href);
env.allowRemoteModels = false;

const testData = path.join(repoRoot, "tests/LegalRag.Embeddings.Tests/TestData");

// One list per tokenizer; sentences cover de/fr/nl/en/et/ar plus the normalizer's edge cases.
const wordPieceSentences = [
  { lang: "de", text: "Der Vermieter kann das Mietverhältnis nach § 573 BGB ordentlich kündigen." },
  { lang: "de", text: "Überlässt der Mieter den Gebrauch einem Dritten, haftet er für dessen Verschulden." },
  { lang: "fr", text: "Le contrat est formé par la rencontre d'une offre et d'une acceptation (article 1113)." },
  { lang: "fr", text: "Nul ne peut être contraint de céder sa propriété, si ce n'est pour cause d'utilité publique." },
  { lang: "nl", text: "De verhuurder is verplicht het gehuurde ter beschikking te stellen; zie artikel 7:203 BW." },
  { lang: "nl", text: "Een overeenkomst komt tot stand door aanbod en aanvaarding." },
  { lang: "en", text: "The GDPR applies to the processing of personal data wholly or partly by automated means." },
  { lang: "en", text: "Article 5(1)(a): data shall be processed lawfully, fairly and in a transparent manner." },
  { lang: "et", text: "Võlaõigusseaduse § 271 kohaselt peab üürileandja üüritava asja üle andma." },
  { lang: "et", text: "Töölepingu ülesütlemine peab olema põhjendatud ja kirjalik." },
  { lang: "ar", text: "يحق لكل شخص التمتع بجميع الحقوق والحريات الواردة في هذا الإعلان." },
  { lang: "ar", text: "المادة 12: لا يعرض أحد لتدخل تعسفي في حياته الخاصة." },
  { lang: "mixed", text: "  Tabs\tand\nnewlines   collapse;   CJK 中文字 splits, \u00e9 vs e\u0301, control\u0007char." },
  { lang: "mixed", text: "A literal [MASK] token and [SEP] stay special." },
  { lang: "mixed", text: "x".repeat(120) + " is longer than max_input_chars_per_word." },
  { lang: "mixed", text: "" },
  // Symbols, connector punctuation and the rarer whitespace/control characters: where a WordPiece implementation that
  // splits on \w (keeping "_" attached, dropping "+", "$", "€") or deletes \t/\n/\v parts from BERT's rules.
  { lang: "mixed", text: "Costs: 5 € + 3 $ = 8 | 20 °C ~ x^2 `code` © 2024, m² and ½ {a} <b> #1 @home." },
  { lang: "mixed", text: "snake_case_nameverticalnext line­soft​zero em　ideographic" },
  // Composed characters whose decomposition is not only letter + accent: Hangul syllables, dotted capital I, "≠".
  { lang: "mixed", text: "İstanbul 대한민국 헌법 제10조: a ≠ b, Ǆ and ﬁ." },
];

const unigramSentences = [
  { lang: "en", text: "the law" },
  { lang: "en", text: "The law of the land" },
  { lang: "de", text: "das Gesetz und das Recht" },
  { lang: "de", text: "rechts recht Artikel 12." },
  { lang: "de", text: "Straße über Gesetz" },
  { lang: "fr", text: "la loi, l'Article 1." },
  { lang: "nl", text: "de wet en het recht" },
  { lang: "et", text: "seadus ja seadused" },
  { lang: "ar", text: "قانون الدولة" },
  { lang: "mixed", text: "ＡＢＣ ﬁne ﬁ" },
  { lang: "mixed", text: "  multiple   spaces\there  " },
  { lang: "mixed", text: "Артикул 5 § 12" },
  { lang: "mixed", text: "" },
];

async function golden(tokenizerDir, sentences, description) {
  // transformers.js resolves a local model id against env.localModelPath.
  env.localModelPath = path.dirname(tokenizerDir) + path.sep;
  const tokenizer = await AutoTokenizer.from_pretrained(path.basename(tokenizerDir), { local_files_only: true });
  return {
    description,
    generator: "tools/tokenizer-golden/generate.mjs with @huggingface/transformers " + (await transformersVersion()),
    cases: sentences.map(({ lang, text }) => {
      const ids = tokenizer.encode(text);
      return { lang, text, ids, tokens: tokenizer.convert_ids_to_tokens ? tokenizer.convert_ids_to_tokens(ids) : ids.map((id) => tokenizer._tokenizer.id_to_token(id)) };
    }),
  };
}

async function transformersVersion() {
  const pkg = path.join(path.dirname(transformersPath), "..", "package.json");
  return JSON.parse(fs.readFileSync(pkg, "utf8")).version;
}

function write(name, data) {
  // One case per line block: small, diffable, human-readable.
  const lines = data.cases.map((c) => "  " + JSON.stringify(c));
  const text = `{\n "description": ${JSON.stringify(data.description)},\n "generator": ${JSON.stringify(data.generator)},\n "cases": [\n${lines.join(",\n")}\n ]\n}\n`;
  fs.writeFileSync(path.join(testData, name), text);
  console.log(`wrote ${name}: ${data.cases.length} cases`);
}

write("wordpiece-minilm-golden.json",
  await golden(miniLmDir, wordPieceSentences, "all-MiniLM-L6-v2 tokenizer.json (from shared/models/tokenizers), add_special_tokens, no truncation"));
write("unigram-fixture-golden.json",
  await golden(path.join(testData, "unigram-fixture"), unigramSentences, "TestData/unigram-fixture/tokenizer.json, add_special_tokens, no truncation"));
