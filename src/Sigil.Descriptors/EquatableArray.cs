using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace Sigil.Language.Model;

/// <summary>
/// An immutable array with value equality: two arrays are equal when they hold equal elements in
/// the same order. Specs use it instead of <see cref="ImmutableArray{T}"/> so that the incremental
/// generator can compare them and skip work when nothing changed.
/// </summary>
public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>

{
    private readonly T[]? _items;

    /// <summary>Creates an array that holds a copy of <paramref name="items"/>.</summary>
    public EquatableArray(IEnumerable<T> items) => _items = items is null ? null : new List<T>(items).ToArray();

    /// <summary>An array with no elements.</summary>
    public static EquatableArray<T> Empty => default;

    /// <summary>The number of elements.</summary>
    public int Count => _items?.Length ?? 0;

    /// <summary>True when the array holds no elements.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>The element at <paramref name="index"/>.</summary>
    public T this[int index] => (_items ?? Array.Empty<T>())[index];

    /// <summary>The elements as a read-only span.</summary>
    public ReadOnlySpan<T> AsSpan() => _items;

    /// <inheritdoc/>
    public bool Equals(EquatableArray<T> other)
    {
        var a = _items ?? Array.Empty<T>();
        var b = other._items ?? Array.Empty<T>();
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!EqualityComparer<T>.Default.Equals(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        unchecked
        {
            var hash = 17;
            foreach (var item in _items ?? Array.Empty<T>())
            {
                hash = (hash * 31) + (item is null ? 0 : EqualityComparer<T>.Default.GetHashCode(item));
            }

            return hash;
        }
    }

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? Array.Empty<T>())).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Value equality.</summary>
    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => "[" + string.Join(", ", _items ?? Array.Empty<T>()) + "]";
}

/// <summary>Helpers to build <see cref="EquatableArray{T}"/>.</summary>
public static class EquatableArray
{
    /// <summary>An array holding <paramref name="items"/>.</summary>
    public static EquatableArray<T> Create<T>(params T[] items)
        => new(items);

    /// <summary>An array holding the elements of <paramref name="items"/>.</summary>
    public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items)
        => new(items);
}
