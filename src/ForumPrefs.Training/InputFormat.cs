using Microsoft.ML.Tokenizers;

namespace ForumPrefs.Training;

/// <summary>
/// How a model's input is built from text: its tokenizer and the special tokens around the question and the answer
/// (<c>Start question Separator answer End</c>). BERT: <c>[CLS] q [SEP] a [SEP]</c>, as its tokenizer builds a text pair;
/// GPT-2: <c>q \n\n a</c>, so the last real token is the answer's; the from-scratch model: <c>q &lt;|endoftext|&gt; a</c>.
/// </summary>
public sealed class InputFormat(Func<string, int[]> ids, int[] start, int[] separator, int[] end, int vocabularySize, string layout)
{
    public int[] Ids(string text) => ids(text);
    public int[] Start { get; } = start;
    public int[] Separator { get; } = separator;
    public int[] End { get; } = end;
    public int VocabularySize { get; } = vocabularySize;
    public int Overhead => Start.Length + Separator.Length + End.Length;

    /// <summary>The layout in words, saved with a model so users scoring it elsewhere build the same inputs.</summary>
    public string Layout { get; } = layout;

    /// <summary>The from-scratch model's input: GPT-2's bundled tokenizer, the prompt and answer joined by &lt;|endoftext|&gt;.</summary>
    public static InputFormat Bundled(string tokenizer)
    {
        if (tokenizer != "gpt2")
            throw new TrainingException($"unknown tokenizer '{tokenizer}' (gpt2 is bundled)");
        var gpt2 = TiktokenTokenizer.CreateForModel("gpt2");
        return new InputFormat(text => [.. gpt2.EncodeToIds(text)], [], [50256], [], 50257, "question <|endoftext|> answer (GPT-2 tokens)");
    }
}
