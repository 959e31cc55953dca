using ForumPrefs.Export.Redaction;

namespace ForumPrefs.Bench;

/// <summary>
/// The labelled sample for personal-data redaction: real answers, each with one planted item appended as a sentence:
/// personal data of every kind in several formats, or a look-alike that is not personal data (version numbers, ISBNs,
/// dates, coordinates, prices, times, code, URLs). Recall: planted items no longer in the text. Precision: of the
/// placeholders the plant added (beyond what the real answer alone gets), those that replaced a planted item.
/// </summary>
public static class PiiSample
{
    public sealed record Result(int Planted, int Found, int LookAlikes, int FalseAlarms, double Recall, double Precision,
        IReadOnlyDictionary<PiiKind, (int Planted, int Found)> ByKind, IReadOnlyList<string> Missed, IReadOnlyList<string> Wrong);

    public static readonly (PiiKind Kind, string Item, string Sentence)[] Items =
    [
        (PiiKind.Email, "jane.doe@gmail.com", "Email me at {0} if you want the template."),
        (PiiKind.Email, "prof_smith+grad@cs.university.edu", "You can reach my advisor at {0}."),
        (PiiKind.Email, "a.b-c@mail.example.co.uk", "Contact: {0}"),
        (PiiKind.Phone, "+1 415 555 0132", "Call the office at {0} before Friday."),
        (PiiKind.Phone, "(415) 555-0198", "My number is {0}, text me."),
        (PiiKind.Phone, "415-555-0143", "Their hotline is {0}."),
        (PiiKind.Phone, "+44 20 7946 0958", "The London office: {0}."),
        (PiiKind.Phone, "020 7946 0321", "Ring {0} and ask for the registrar."),
        (PiiKind.Phone, "+49 30 901820", "In Berlin call {0}."),
        (PiiKind.Phone, "+91 98765 43210", "WhatsApp me on {0}."),
        (PiiKind.Ip, "192.168.1.20", "My laptop sits at {0} on the lab network."),
        (PiiKind.Ip, "73.162.44.201", "The logs show logins from {0}."),
        (PiiKind.Ip, "2001:db8:85a3::8a2e:370:7334", "The server's address is {0}."),
        (PiiKind.User, "u/throwaway_grad22", "Thanks {0} for the advice."),
        (PiiKind.User, "/u/PhDorBust", "As {0} said above, ask early."),
    ];

    public static readonly string[] LookAlikes =
    [
        "I upgraded to version 1.2.3.4 and it broke.", "Use Python 3.11.4 or later.", "The fix landed in v2.10.1.",
        "See ISBN 978-3-16-148410-0 for the textbook.", "The older edition is ISBN 0-306-40615-2.",
        "The deadline was 2021-03-04.", "I defended on 03/04/2021.", "It started on 12.05.2020.",
        "The station is at 40.7128, -74.0060.", "We sampled at 51.5074° N, 0.1278° W.",
        "Tuition was $12,345.67 a year.", "pi is about 3.14159265.", "The meeting is at 12:30:45 UTC.",
        "Run `ssh grad@cluster.university.edu` to log in.", "My results: 1234567 reads, 7654321 mapped.",
        "The paper is at https://arxiv.org/abs/2101.00001 and https://example.com/@author.",
        "Grant number 2019-123456-7890 covered it.", "Page 123-456 of the proceedings.",
        "The code was:\n\n```\nserver = \"10.0.0.1\"\nemail = \"root@localhost.localdomain\"\n```",
    ];

    public static Result Measure(IReadOnlyList<string> realAnswers)
    {
        int planted = 0, found = 0, lookAlikes = 0, falseAlarms = 0, placeholdersAdded = 0;
        var byKind = PiiKinds.All.ToDictionary(k => k, _ => (Planted: 0, Found: 0));
        var missed = new List<string>();
        var wrong = new List<string>();
        var redactor = new PiiRedactor(PiiKinds.All.ToHashSet(), atMentions: false);
        for (var i = 0; i < realAnswers.Count; i++)
        {
            var answer = realAnswers[i];
            var baseline = Placeholders(redactor.Redact(answer));
            if (i % 2 == 0)
            {
                var (kind, item, sentence) = Items[i / 2 % Items.Length];
                var text = redactor.Redact($"{answer} {string.Format(sentence, item)}");
                var added = Placeholders(text) - baseline;
                planted++;
                var hit = !text.Contains(item, StringComparison.Ordinal) && text.Contains(PiiKinds.Placeholder(kind), StringComparison.Ordinal);
                found += hit ? 1 : 0;
                byKind[kind] = (byKind[kind].Planted + 1, byKind[kind].Found + (hit ? 1 : 0));
                if (!hit)
                    missed.Add(item);
                placeholdersAdded += Math.Max(0, added);
                falseAlarms += Math.Max(0, added - (hit ? 1 : 0));
            }
            else
            {
                var lookAlike = LookAlikes[i / 2 % LookAlikes.Length];
                var added = Placeholders(redactor.Redact($"{answer} {lookAlike}")) - baseline;
                lookAlikes++;
                if (added > 0)
                {
                    falseAlarms += added;
                    placeholdersAdded += added;
                    wrong.Add(lookAlike);
                }
            }
        }
        var correct = placeholdersAdded - falseAlarms;
        return new Result(planted, found, lookAlikes, falseAlarms, (double)found / planted,
            placeholdersAdded == 0 ? double.NaN : (double)correct / placeholdersAdded, byKind, missed.Distinct().ToList(), wrong.Distinct().ToList());
    }

    private static int Placeholders(string text) =>
        PiiKinds.All.Sum(k => CountOf(text, PiiKinds.Placeholder(k)));

    private static int CountOf(string text, string placeholder)
    {
        var count = 0;
        for (var at = text.IndexOf(placeholder, StringComparison.Ordinal); at >= 0; at = text.IndexOf(placeholder, at + 1, StringComparison.Ordinal))
            count++;
        return count;
    }
}
