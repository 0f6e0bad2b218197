using System;
using System.Linq;

namespace Sigil.Language.Emit.Kubernetes;

/// <summary>
/// Deployment choices that belong to the cluster, not to the fibre: which image runs the daemon,
/// which workload the autoscaler scales, and how Prometheus scrapes. The build reads them from
/// MSBuild properties (<c>SigilImage</c>, <c>SigilImageDigest</c>, <c>SigilScaleTarget</c>,
/// <c>SigilServiceMonitor</c>), <c>sigil emit</c> from options of the same names.
/// </summary>
/// <param name="Image">The image name, without tag or digest (eng/image.sh builds <c>localhost/sigil</c>).</param>
/// <param name="ImageDigest">The image's digest (<c>sha256:</c> and 64 hex digits): the manifests pin it; null uses <see cref="ImageTag"/>.</param>
/// <param name="ImageTag">The tag used when no digest is given.</param>
/// <param name="ScaleTarget">What the HorizontalPodAutoscaler scales, <c>[namespace/]Kind/name</c> (Kind: Deployment, StatefulSet or ReplicaSet); null emits no autoscaler.</param>
/// <param name="ServiceMonitor">True: a Prometheus Operator ServiceMonitor scrapes the daemons (and the pods carry no scrape annotations).</param>
public sealed record KubernetesOptions(
    string Image = KubernetesOptions.DefaultImage,
    string? ImageDigest = null,
    string ImageTag = "latest",
    string? ScaleTarget = null,
    bool ServiceMonitor = false)
{
    /// <summary>The image eng/image.sh builds.</summary>
    public const string DefaultImage = "localhost/sigil";

    /// <summary>The defaults: the image eng/image.sh builds by tag, no autoscaler, scraping by pod annotations.</summary>
    public static KubernetesOptions Default { get; } = new();

    /// <summary>The image reference: <c>name@digest</c>, or <c>name:tag</c> without a digest.</summary>
    public string ImageReference
    {
        get
        {
            if (Image.Length == 0 || Image.Any(c => char.IsWhiteSpace(c) || c is '@' || char.IsUpper(c)) || Image.EndsWith("/", StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{Image}' is not an image name (lower case, no tag, no digest)");
            }

            if (ImageDigest is null)
            {
                return ImageTag.Length > 0 && ImageTag.All(c => char.IsLetterOrDigit(c) && c < 128 || c is '_' or '.' or '-')
                    ? Image + ":" + ImageTag
                    : throw new ArgumentException($"'{ImageTag}' is not an image tag");
            }

            return ImageDigest.StartsWith("sha256:", StringComparison.Ordinal) && ImageDigest.Length == 71 && ImageDigest.Skip(7).All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f')
                ? Image + "@" + ImageDigest
                : throw new ArgumentException($"'{ImageDigest}' is not an image digest (sha256: and 64 lower-case hex digits)");
        }
    }

    /// <summary>The scale target split into namespace (default <c>default</c>), kind and name; null when none is given.</summary>
    public (string Namespace, string Kind, string Name)? ParsedScaleTarget
    {
        get
        {
            if (string.IsNullOrEmpty(ScaleTarget))
            {
                return null;
            }

            var parts = ScaleTarget!.Split('/');
            var (ns, kind, name) = parts.Length switch
            {
                2 => ("default", parts[0], parts[1]),
                3 => (parts[0], parts[1], parts[2]),
                _ => throw new ArgumentException($"scale target '{ScaleTarget}' is not [namespace/]Kind/name"),
            };
            if (kind is not ("Deployment" or "StatefulSet" or "ReplicaSet"))
            {
                throw new ArgumentException($"scale target '{ScaleTarget}': kind '{kind}' is not Deployment, StatefulSet or ReplicaSet");
            }

            foreach (var label in new[] { ns, name })
            {
                if (YamlText.Label(label) != label)
                {
                    throw new ArgumentException($"scale target '{ScaleTarget}': '{label}' is not a Kubernetes name (lower-case DNS label)");
                }
            }

            return (ns, kind, name);
        }
    }
}
