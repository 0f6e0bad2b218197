using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary>A token: its kind, text and position. A missing token (inserted by error recovery) has empty text.</summary>
internal sealed class SyntaxToken : SyntaxNode
{
    public SyntaxToken(SyntaxKind kind, int position, string text, bool isMissing = false)
        : base(new TextSpan(position, text.Length))
    {
        TokenKind = kind;
        Position = position;
        Text = text;
        IsMissing = isMissing;
    }

    public override SyntaxKind Kind => TokenKind;

    public SyntaxKind TokenKind { get; }

    public int Position { get; }

    public string Text { get; }

    /// <summary>True when error recovery made this token up; it was reported already.</summary>
    public bool IsMissing { get; }

    public static SyntaxToken Missing(SyntaxKind kind, int position) => new(kind, position, string.Empty, isMissing: true);

    public override string ToString() => Kind + " '" + Text + "'";
}
