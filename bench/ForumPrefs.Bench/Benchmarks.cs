using ForumPrefs.Training.Pretrained;
using ForumPrefs.Store;
using System.Diagnostics;

namespace ForumPrefs.Bench;

/// <summary>Every benchmark <c>forumprefs bench</c> offers.</summary>
public static class Benchmarks
{
    public static readonly IReadOnlyList<Benchmark> All = [Store, Pairs, Dump, StackExchange, Train, EndToEnd, Dedup, Language];

    private static long PeakRssMb => Process.GetCurrentProcess().PeakWorkingSet64 / 1048576;
    private static object? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits) : null;

    private static Benchmark Store => new("store", $"Upsert throughput of the SQLite store (target >= {StoreBenchmark.TargetCommentsPerSecond:N0} comments/s)",
        [new("--comments", "Comments to upsert", 1_000_000, 100), new("--batch", "Comments per transaction", 20_000)],
        o => $"bench store: {o["--comments"]:N0} comments, {o["--batch"]:N0} per transaction, {Environment.ProcessorCount} cores",
        (folder, o) =>
        {
            var rows = StoreBenchmark.Run(folder, o["--comments"], o["--batch"]);
            var reference = rows[^1].Rate;
            var verdict = rows[0].Rate >= StoreBenchmark.TargetCommentsPerSecond ? "meets" : "MISSES";
            return Task.FromResult(new BenchReport(
                new QueryResult(["pass", "comments", "seconds", "comments_per_s", "ratio_to_reference"],
                    rows.Select(r => new object?[] { r.Pass, r.Comments, Round(r.Seconds, 2), (long)r.Rate, Round(r.Rate / reference, 2) }).ToList()),
                [
                    $"first-write upsert {rows[0].Rate:N0} comments/s {verdict} the target of {StoreBenchmark.TargetCommentsPerSecond:N0}/s; peak RSS {PeakRssMb:N0} MB",
                    "the reference only appends rows (no keys, no merge of sightings, no history): the ratio is the price of the store's guarantees",
                ]));
        });

    private static Benchmark Pairs => new("pairs", $"Pair building and Parquet export on realistic threads (target >= {PairsBenchmark.TargetRowsPerSecond:N0} rows/s)",
        [new("--posts", "Posts (answers per post log-normal, median 10)", 20_000)],
        o => $"bench pairs: {o["--posts"]:N0} realistic threads, {Environment.ProcessorCount} cores",
        async (folder, o) =>
        {
            var rows = await PairsBenchmark.RunAsync(folder, o["--posts"]);
            return new BenchReport(
                new QueryResult(["stage", "rows", "seconds", "rows_per_s", "mb_written", "target_met"],
                    rows.Select(r => new object?[] { r.Stage, r.Rows, Round(r.Seconds, 2), (long)r.Rate, Round(r.MegabytesWritten, 1),
                        r.Rate >= PairsBenchmark.TargetRowsPerSecond ? "yes" : "no" }).ToList()),
                [$"target {PairsBenchmark.TargetRowsPerSecond:N0} rows/s (pairs kept per second; rejected candidates cost time too); peak RSS {PeakRssMb:N0} MB"]);
        });

    private static Benchmark Dump => new("dump", "Reddit dump reading in both line layouts: filter-only and full ingest MB/s next to zstd -d --long=31 and a plain Python script",
        [new("--mb", "Decompressed size of each generated dump", 1000)],
        o => $"bench dump: generating {o["--mb"]:N0} MB of RC lines in each layout (2015, modern), compressing with zstd --long=31, {Environment.ProcessorCount} cores",
        (folder, o) =>
        {
            var r = DumpBenchmark.Run(folder, o["--mb"]);
            string Met(bool met) => met ? "met" : "MISSED";
            var rows = new List<object?[]>();
            foreach (var layout in new[] { r.Legacy, r.Modern })
                foreach (var m in layout.All)
                    rows.Add([m.Stage, (long)m.Megabytes, Round(m.Seconds, 2), Round(m.Rate, 1), Round(m.Rate / layout.Zstd.Rate, 2),
                        layout.Python is null ? null : Round(m.Rate / layout.Python.Rate, 2), m.PeakRssMb]);
            foreach (var m in new[] { r.ManagedFilter, r.Uncompressed, r.Jobs1Filter, r.Jobs2Filter, r.Jobs1Ingest, r.Jobs2Ingest })
                rows.Add([m.Stage, (long)m.Megabytes, Round(m.Seconds, 2), Round(m.Rate, 1), Round(m.Rate / r.Modern.Zstd.Rate, 2),
                    r.Modern.Python is null ? null : Round(m.Rate / r.Modern.Python.Rate, 2), m.PeakRssMb]);
            string Python(DumpBenchmark.LayoutRows l, double target) => l.Python is null ? "no Python reference"
                : $"{l.Ingest.Rate / l.Python.Rate:F2}× the Python script (target {target}×: {Met(l.Ingest.Rate / l.Python.Rate >= target)})";
            var notes = new List<string>
            {
                $"targets: filter-only >= {DumpBenchmark.FilterTargetRatio:P0} of the zstd CLI (modern {Met(r.Modern.Filter.Rate / r.Modern.Zstd.Rate >= DumpBenchmark.FilterTargetRatio)}, " +
                $"2015 {Met(r.Legacy.Filter.Rate / r.Legacy.Zstd.Rate >= DumpBenchmark.FilterTargetRatio)}); full ingest: modern {Python(r.Modern, 3)}, 2015 {Python(r.Legacy, 2)}",
                // The zstd CLI's own peak on the same file stands for the window the file needs (it holds little else).
                $"peak RSS <= the zstd window + {DumpBenchmark.MemoryAllowanceMb} MB, the window measured as the zstd CLI's peak on the same file: " +
                $"2015 .zst {r.Legacy.Ingest.PeakRssMb:N0} MB of {r.Legacy.Zstd.PeakRssMb + DumpBenchmark.MemoryAllowanceMb:N0} " +
                $"({Met(r.Legacy.Ingest.PeakRssMb <= r.Legacy.Zstd.PeakRssMb + DumpBenchmark.MemoryAllowanceMb)}), " +
                $"modern .zst {r.Modern.Ingest.PeakRssMb:N0} MB of {r.Modern.Zstd.PeakRssMb + DumpBenchmark.MemoryAllowanceMb:N0} " +
                $"({Met(r.Modern.Ingest.PeakRssMb <= r.Modern.Zstd.PeakRssMb + DumpBenchmark.MemoryAllowanceMb)}), " +
                $"plain NDJSON (no window) {r.Uncompressed.PeakRssMb:N0} MB ({Met(r.Uncompressed.PeakRssMb <= DumpBenchmark.MemoryAllowanceMb)})",
                $"native decoder (libzstd) against managed (ZstdSharp), filter-only: {r.Modern.Filter.Rate / r.ManagedFilter.Rate:F2}×",
                $"--jobs 2 on two files, against --jobs 1 on the same files: filter-only {r.Jobs2Filter.Rate / r.Jobs1Filter.Rate:F2}×, " +
                $"full ingest {r.Jobs2Ingest.Rate / r.Jobs1Ingest.Rate:F2}× (two cores: each reader keeps two threads busy, and one writer stores everything)",
                "the Python script stores what it parses with INSERT OR REPLACE into two plain tables: it keeps no score history, checkpoints or counts",
            };
            if (r.PythonProblem is not null)
                notes.Add($"no Python reference: {r.PythonProblem}");
            return Task.FromResult(new BenchReport(
                new QueryResult(["stage", "mb", "seconds", "mb_per_s", "ratio_to_zstd_cli", "ratio_to_python", "peak_rss_mb"], rows), notes));
        })
    {
        // Both layouts' plain and .zst files, the modern halves, and a store for every stage (5.3 × --mb measured at 100).
        ScratchBytes = o => 6L * o["--mb"] << 20,
    };

    private static Benchmark StackExchange => new Benchmark("stackexchange", "Stack Exchange Posts.xml ingest MB/s next to plain Python scripts (iterparse with and without text extraction)",
        [new("--mb", "Size of the Posts.xml to ingest", 250)],
        o => o.File is { } sample
            ? $"bench stackexchange: repeating the rows of {Path.GetFileName(sample)} with shifted ids to {o["--mb"]:N0} MB, {Environment.ProcessorCount} cores"
            : $"bench stackexchange: generating a {o["--mb"]:N0} MB Posts.xml (questions with 1–6 answers, HTML bodies), {Environment.ProcessorCount} cores",
        (folder, o) =>
        {
            var r = StackExchangeBenchmark.Run(folder, o["--mb"], o.File);
            var measured = new[] { r.Ingest, r.Python, r.PythonRaw }.OfType<Measured>().ToList();
            var notes = new List<string>
            {
                r.Python is null ? $"no Python reference: {r.Problem}"
                    : $"target: >= {StackExchangeBenchmark.TargetRatio}× the Python script that extracts text: {r.Ingest.Rate / r.Python.Rate:F2}× " +
                      $"({(r.Ingest.Rate / r.Python.Rate >= StackExchangeBenchmark.TargetRatio ? "met" : "MISSED")})",
                "ForumPrefs also keeps score sightings, tags, links and images, checkpoints and skip counts; the scripts keep five columns in two plain tables",
            };
            if (o.File is { } real)
                notes.Add($"input: the rows of {real}, repeated with ids shifted past the sample's largest on each pass");
            return Task.FromResult(new BenchReport(
                new QueryResult(["stage", "mb", "seconds", "mb_per_s", "ratio_to_python_text", "peak_rss_mb"],
                    measured.Select(m => new object?[] { m.Stage, (long)m.Megabytes, Round(m.Seconds, 2), Round(m.Rate, 1),
                        r.Python is null ? null : Round(m.Rate / r.Python.Rate, 2), m.PeakRssMb }).ToList()),
                notes));
        })
    {
        ScratchBytes = o => 3L * o["--mb"] << 20, // Posts.xml and three stores (2.9 × --mb measured at 40)
        FileOption = new("--sample", "A real Posts.xml whose rows are repeated, with ids shifted, up to --mb instead of generated rows"),
    };

    private static Benchmark Train => new("train",
        "Reward-model training pairs/s on CPU (the small model, and MiniLM fine-tuned) next to the same models in PyTorch, and streamed training's peak memory on two dataset sizes",
        [new("--steps", "Timed steps of the small model (after 3 warm-up steps)", 30), new("--finetune-steps", "Timed MiniLM fine-tuning steps (after 2 warm-up steps)", 5),
         new("--threads", "CPU threads for both runtimes", Environment.ProcessorCount), new("--stream-pairs", "Pairs of the larger generated export (the smaller has an eighth)", 200_000),
         new("--bucket-steps", "With --sample: MiniLM steps timed on the sample's real lengths, shuffled and length-bucketed", 100),
         new("--cache-pairs", "With --sample: pairs of whole posts for the frozen-layer cache rows (an epoch without it, two with it)", 800, 0),
         new("--score-rows", "Rows of the larger JSONL 'score' streams with the streamed run's model (the smaller has a tenth)", 100_000, 10)],
        o => $"bench train: {o["--threads"]} threads; {o["--steps"]} steps {TrainingBenchmark.SmallModel}; {o["--finetune-steps"]} steps {TrainingBenchmark.MiniLM}; " +
             $"streamed training on {o["--stream-pairs"] / 8:N0} and {o["--stream-pairs"]:N0} generated pairs; streamed scoring of {o["--score-rows"] / 10:N0} and {o["--score-rows"]:N0} rows",
        async (folder, o) =>
        {
            var minilm = Path.Combine(folder, "minilm");
            using (var onnx = PackagedMiniLM.OpenOnnx())
            using (var vocabulary = PackagedMiniLM.OpenVocabulary())
                OnnxBertImport.Convert(onnx, vocabulary, minilm, PackagedMiniLM.Description);
            var rows = new List<TrainingBenchmark.Row> { TrainingBenchmark.TorchSharp(o["--steps"], o["--threads"]) };
            var notes = new List<string>
            {
                "this compares two runtimes and their math libraries — LibTorch 2.10 with MKL (through TorchSharp) and Debian's PyTorch 1.13 " +
                "with OpenBLAS — on the same models and batches; it is not C# against Python (both spend their time in native kernels). " +
                "PyTorch 1.13 has no fused attention, so its BERT computes softmax(QKᵀ)V; TorchSharp's uses scaled_dot_product_attention",
            };
            if (TrainingBenchmark.PyTorch(o["--steps"], o["--threads"], out var problem) is { } reference)
                rows.Add(reference);
            else
                notes.Add($"no PyTorch reference: {problem}");
            rows.Add(TrainingBenchmark.FineTune(minilm, o["--finetune-steps"], o["--threads"]));
            if (TrainingBenchmark.FineTunePyTorch(minilm, o["--finetune-steps"], o["--threads"], out var fineTuneProblem) is { } fineTuneReference)
                rows.Add(fineTuneReference);
            else
                notes.Add($"no PyTorch fine-tuning reference: {fineTuneProblem}");
            if (o.File is { } sample)
            {
                var (shuffled, bucketed) = await TrainingBenchmark.StepLengthsAsync(minilm, sample, o["--bucket-steps"]);
                foreach (var (name, steps) in new[] { (TrainingBenchmark.MiniLMRandom, shuffled), (TrainingBenchmark.MiniLMBucketed, bucketed) })
                {
                    rows.Add(TrainingBenchmark.FineTuneLengths(minilm, name, steps, o["--threads"]));
                    if (TrainingBenchmark.FineTuneLengthsPyTorch(minilm, name, steps, o["--threads"], folder, out var lengthProblem) is { } lengthReference)
                        rows.Add(lengthReference);
                    else
                        notes.Add($"no PyTorch reference for {name}: {lengthProblem}");
                    notes.Add($"{name}: mean padded length {steps.Average(s => s.Max()):F1} tokens, mean real length {steps.Average(s => s.Average()):F1}");
                }
                rows.Add(TrainingBenchmark.FineTuneLengths(minilm, TrainingBenchmark.MiniLMTopTwo, bucketed, o["--threads"], top: 2));
                if (TrainingBenchmark.FineTuneLengthsPyTorch(minilm, TrainingBenchmark.MiniLMTopTwo, bucketed, o["--threads"], folder, out var topProblem, top: 2) is { } topReference)
                    rows.Add(topReference);
                else
                    notes.Add($"no PyTorch reference for {TrainingBenchmark.MiniLMTopTwo}: {topProblem}");
                if (o["--cache-pairs"] > 0)
                {
                    var (postSteps, stepsRepeat, fileRepeat) = await TrainingBenchmark.PostStepsAsync(minilm, sample, o["--cache-pairs"]);
                    rows.AddRange(TrainingBenchmark.FineTuneCached(minilm, postSteps, o["--threads"]));
                    rows.AddRange(TrainingBenchmark.FineTuneCachedPyTorch(minilm, postSteps, o["--threads"], folder, out var cacheProblem));
                    if (cacheProblem is not null)
                        notes.Add($"no PyTorch reference for the frozen-layer cache: {cacheProblem}");
                    notes.Add($"frozen-layer cache rows: {postSteps.Length * 8:N0} pairs of whole posts, mean length {postSteps.Average(s => s.Average(i => i.Length)):F1} tokens; " +
                        $"{stepsRepeat:P1} of their inputs repeat an earlier one ({fileRepeat:P1} in the whole of {Path.GetFileName(sample)}): " +
                        "the first epoch computes the frozen layers for the rest, later epochs for none");
                }
                var today = rows.First(r => r.Model == TrainingBenchmark.MiniLM && !r.Runtime.StartsWith("PyTorch", StringComparison.Ordinal));
                var top = rows.Last(r => r.Model == TrainingBenchmark.MiniLMTopTwo && !r.Runtime.StartsWith("PyTorch", StringComparison.Ordinal));
                var fast = rows.Last(r => r.Model == TrainingBenchmark.MiniLMBucketed && !r.Runtime.StartsWith("PyTorch", StringComparison.Ordinal));
                notes.Add($"length-bucketed MiniLM on {Path.GetFileName(sample)}'s real lengths: {fast.PairsPerSecond:F1} pairs/s, " +
                    $"{fast.PairsPerSecond / today.PairsPerSecond:F2} × the fixed 128-token batches (what training padded to before bucketing; target 3 ×); " +
                    $"with the top 2 layers trained: {top.PairsPerSecond:F1} pairs/s, {top.PairsPerSecond / today.PairsPerSecond:F2} ×");
                foreach (var cached in rows.Where(r => r.Model is TrainingBenchmark.MiniLMCachedFirst or TrainingBenchmark.MiniLMCachedLater &&
                                                       !r.Runtime.StartsWith("PyTorch", StringComparison.Ordinal)))
                    notes.Add($"{cached.Model}: {cached.PairsPerSecond:F1} pairs/s, {cached.PairsPerSecond / today.PairsPerSecond:F2} × the fixed 128-token batches of all 6 layers (target 3 ×)");
            }
            else
            {
                notes.Add("--sample PARQUET (an exported train split) adds MiniLM steps on its real lengths, shuffled and length-bucketed");
            }
            double Baseline(TrainingBenchmark.Row row) => rows.FirstOrDefault(r => r.Model == row.Model && r.Runtime.StartsWith("PyTorch", StringComparison.Ordinal))?.PairsPerSecond ?? double.NaN;
            var streamed = StreamingBenchmark.Run(folder, o["--stream-pairs"]);
            notes.AddRange(streamed.Select(m => $"{m.Stage}: peak RSS {m.PeakRssMb:N0} MB, {m.Seconds:F1} s (planning pass, 20 steps, no evaluation split)"));
            notes.Add($"peak memory from {streamed[0].Megabytes:N0} to {streamed[1].Megabytes:N0} MB of text: {streamed[1].PeakRssMb - streamed[0].PeakRssMb:+#,0;-#,0;0} MB " +
                "(the split is streamed: eight times the data, not eight times the memory)");
            var scored = StreamingBenchmark.Score(folder, Path.Combine(folder, $"model-{o["--stream-pairs"]}"), o["--score-rows"]);
            notes.AddRange(scored.Select(m => $"{m.Stage}: {m.Megabytes / m.Seconds:N0} rows/s (start-up included), peak RSS {m.PeakRssMb:N0} MB, {m.Seconds:F1} s " +
                "(the model of the streamed run: 1 layer, width 32, 64 tokens; 64 rows a batch)"));
            notes.Add($"scoring's peak memory from {scored[0].Megabytes:N0} to {scored[1].Megabytes:N0} rows: {scored[1].PeakRssMb - scored[0].PeakRssMb:+#,0;-#,0;0} MB " +
                "(the input is streamed a batch at a time: ten times the rows, not ten times the memory)");
            return new BenchReport(
                new QueryResult(["model", "runtime", "steps", "seconds", "steps_per_s", "pairs_per_s", "ratio_to_pytorch"],
                    rows.Select(r => new object?[] { r.Model, r.Runtime, r.Steps, Round(r.Seconds, 2), Round(r.StepsPerSecond, 2), Round(r.PairsPerSecond, 1),
                        double.IsNaN(Baseline(r)) ? null : Round(r.PairsPerSecond / Baseline(r), 2) }).ToList()),
                notes);
        })
    {
        FileOption = new("--sample", "An exported train split (.parquet or .jsonl, any preference layout): MiniLM steps on its real lengths, shuffled and length-bucketed"),
    };

    private static Benchmark EndToEnd => new("all", "Every stage on one generated dump, with references timed in the same run (needs zstd, /usr/bin/time, python3-zstandard)",
        [new("--mb", "Decompressed size of the generated dump", 500)],
        o => $"bench all: one generated {o["--mb"]:N0} MB dump for every row, {Environment.ProcessorCount} cores",
        (folder, o) =>
        {
            var stages = EndToEndBenchmark.Run(folder, o["--mb"]);
            return Task.FromResult(new BenchReport(
                new QueryResult(["stage", "input", "seconds", "rate", "peak_rss_mb", "reference", "ratio_to_reference"],
                    stages.Select(s => new object?[] { s.Name, s.Input, Round(s.Seconds, 2), s.Rate, s.PeakRssMb, s.Reference, Round(s.Ratio, 2) }).ToList()),
                []));
        })
    {
        ScratchBytes = o => 2L * o["--mb"] << 20, // the plain dump while it is compressed, then the .zst and the stores
    };

    private static Benchmark Dedup => new("dedup",
        "Near-duplicates: MinHash LSH answers/s and peak memory on generated answers next to a numpy reference, and the LSH step's recall and precision against exact Jaccard on real answers",
        [new("--answers", "Generated answers (a tenth are edited copies)", 1_000_000, 1000), new("--labelled", "Real answers in the labelled sample (half get an edited copy)", 1500, 50)],
        o => $"bench dedup: {o["--answers"]:N0} generated answers; labelled sample of {o["--labelled"]:N0} real answers{(o.File is null ? " (needs --sample)" : $" from {Path.GetFileName(o.File)}")}",
        (folder, o) =>
        {
            var options = new ForumPrefs.Pairing.NearDuplicates.NearDuplicateOptions();
            var texts = Path.Combine(folder, "answers.txt");
            DedupBenchmark.Generate(texts, o["--answers"]);
            var ours = DedupBenchmark.RunForumPrefs(texts, options);
            var notes = new List<string>();
            var python = DedupBenchmark.RunPython(texts, options, out var problem);
            if (python is null)
                notes.Add($"no Python reference: {problem}");
            double Rate(DedupBenchmark.Speed s) => s.Texts / s.Seconds;
            var rows = new List<object?[]> { Speed(ours, python is null ? null : Rate(ours) / Rate(python)) };
            if (python is not null)
                rows.Add(Speed(python, 1.0));
            var (bands, rowsPerBand) = options.Banding();
            notes.Add($"MinHash: {options.ShingleWords}-word shingles, {options.Hashes} hashes, {bands} bands × {rowsPerBand} rows for Jaccard ≥ {options.Threshold}; " +
                "both sides tokenise, shingle, hash, band and join in one pass; ForumPrefs keeps 8 bytes per band per answer, the reference a dict per band. " +
                "Peak RSS of ForumPrefs is the bench process's (the generator streams to disk first)");
            if (o.File is { } sample)
            {
                var answers = SampleTexts.Comments(sample, o["--labelled"], minWords: 20);
                foreach (var threshold in new[] { 0.7, 0.8, 0.9 })
                {
                    var a = DedupBenchmark.Measure(answers, options with { Threshold = threshold });
                    notes.Add($"labelled sample ({answers.Count:N0} real answers of {Path.GetFileName(sample)} + {(answers.Count + 1) / 2:N0} edited copies), Jaccard ≥ {threshold}: " +
                        $"{a.Bands} bands × {a.Rows} rows, {a.TruePairs:N0} true pairs, {a.Candidates:N0} LSH candidates, recall {a.Recall:P1}, precision {a.Precision:P1}");
                }
            }
            else
                notes.Add("--sample RC.zst (a Reddit comment dump) adds the LSH step's recall and precision on real answers");
            if (o.File is { } pii)
            {
                var r = PiiSample.Measure(SampleTexts.Comments(pii, 2 * o["--labelled"], minWords: 5));
                notes.Add($"personal data, labelled sample ({r.Planted:N0} real answers with a planted item, {r.LookAlikes:N0} with a look-alike): " +
                    $"recall {r.Recall:P1} ({r.Found}/{r.Planted}), precision {r.Precision:P1} ({r.FalseAlarms} false alarms); by kind: " +
                    string.Join(", ", r.ByKind.Select(k => $"{k.Key.ToString().ToLowerInvariant()} {k.Value.Found}/{k.Value.Planted}")) +
                    (r.Missed.Count > 0 ? $"; missed: {string.Join(" | ", r.Missed)}" : "") + (r.Wrong.Count > 0 ? $"; wrongly redacted: {string.Join(" | ", r.Wrong.Select(w => w.ReplaceLineEndings(" ")))}" : ""));
            }
            return Task.FromResult(new BenchReport(
                new QueryResult(["stage", "answers", "seconds", "answers_per_s", "peak_rss_mb", "clusters", "ratio_to_numpy"], rows), notes));

            static object?[] Speed(DedupBenchmark.Speed s, double? ratio) =>
                [s.Stage, s.Texts, Round(s.Seconds, 1), (long)(s.Texts / s.Seconds), s.PeakRssMb, s.Clusters < 0 ? null : s.Clusters, Round(ratio, 2)];
        })
    {
        ScratchBytes = o => 400L * o["--answers"],
        FileOption = new("--sample", "A Reddit comment dump (.zst or plain NDJSON) whose comments make the labelled sample"),
    };

    private static Benchmark Language => new("language",
        "Language detection: Lingua's model sets and modes on a store's questions and answers, texts/s, peak memory and what an English-only forum is called",
        [new("--texts", "Questions and as many answers per forum, at most", 3000, 10)],
        o => $"bench language: up to {o["--texts"]:N0} questions and {o["--texts"]:N0} answers per forum of {(o.File is null ? "(needs --sample STORE.db)" : Path.GetFileName(o.File))}, each configuration in its own process",
        (folder, o) =>
        {
            if (o.File is null)
                throw new BenchException("bench language needs --sample STORE.db (a ForumPrefs store)");
            var rows = LanguageBenchmark.Run(LanguageBenchmark.WriteTexts(o.File, folder, o["--texts"]));
            var reference = rows[0];
            return Task.FromResult(new BenchReport(
                new QueryResult(["config", "texts", "load_s", "texts_per_s", "peak_rss_mb", "not_en", $"not_en_{ForumPrefs.Pairing.Screens.LanguageDetection.MinChars}_chars", "und", "top_not_en", "speed_ratio_to_first"],
                    rows.Select(r => new object?[] { r.Config, r.Texts, Round(r.LoadSeconds, 2), (long)(r.Texts / r.DetectSeconds), r.PeakRssMb, r.Other, r.RuledOther,
                        r.RuledUndetermined, string.Join(" ", r.RuledOthers.Take(6).Select(x => $"{x.Key}:{x.Value}")),
                        Round(r.DetectSeconds == 0 ? null : reference.DetectSeconds / r.DetectSeconds, 2) }).ToList()),
                [$"texts: each forum's questions (title and body) and answers from {Path.GetFileName(o.File)}, cut to {ForumPrefs.Pairing.Screens.LanguageDetection.MaxChars:N0} characters as pairing does; " +
                 "on an English-only forum every language but en is a false detection. not_en: every text detected; " +
                 $"not_en_{ForumPrefs.Pairing.Screens.LanguageDetection.MinChars}_chars, und, top_not_en: texts under {ForumPrefs.Pairing.Screens.LanguageDetection.MinChars} characters made und, as pairing does (und is not held against a text)"]));
        })
    {
        FileOption = new("--sample", "A ForumPrefs store (e.g. of r/GradSchool or the beer site) whose questions and answers are detected"),
    };
}
