using RecOperator.Crds;
using RecOperator.Crds.Validation;
using RecOperator.Operator.Runtime;

namespace RecOperator.Operator.Autoscaling.Loop;

/// <summary>
/// Whether a model's spec passes the checks the reconciler makes (<see cref="ResourceValidator"/>), worked out once per
/// generation. A spec the reconciler refuses (InvalidSpec) is not scaled either: its fleet stays as last planned, and
/// every sync does not fail on it again; the next valid generation picks up from there.
/// </summary>
internal sealed class SpecValidity
{
    private readonly Dictionary<ObjectKey, (string? Uid, long? Generation, bool Valid)> _known = [];

    public bool IsValid(RecModel model)
    {
        var key = ObjectKey.Of(model);
        var (uid, generation) = (model.Metadata?.Uid, model.Metadata?.Generation);
        if (_known.TryGetValue(key, out var seen) && seen.Uid == uid && seen.Generation == generation)
        {
            return seen.Valid;
        }

        var valid = ResourceValidator.Validate(model).Count == 0;
        _known[key] = (uid, generation, valid);
        return valid;
    }

    /// <summary>Drops what is known of models that are gone.</summary>
    public void KeepOnly(IReadOnlySet<ObjectKey> live)
    {
        foreach (var gone in _known.Keys.Where(k => !live.Contains(k)).ToList())
        {
            _known.Remove(gone);
        }
    }
}
