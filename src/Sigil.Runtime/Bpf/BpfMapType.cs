namespace Sigil.Runtime.Bpf;

/// <summary>Map types (enum bpf_map_type) the runtime meets.</summary>
public enum BpfMapType
{
    /// <summary>BPF_MAP_TYPE_UNSPEC.</summary>
    Unspecified = 0,

    /// <summary>BPF_MAP_TYPE_HASH.</summary>
    Hash = 1,

    /// <summary>BPF_MAP_TYPE_ARRAY.</summary>
    Array = 2,

    /// <summary>BPF_MAP_TYPE_PERCPU_HASH.</summary>
    PerCpuHash = 5,

    /// <summary>BPF_MAP_TYPE_PERCPU_ARRAY.</summary>
    PerCpuArray = 6,

    /// <summary>BPF_MAP_TYPE_LRU_HASH.</summary>
    LruHash = 9,

    /// <summary>BPF_MAP_TYPE_LRU_PERCPU_HASH.</summary>
    LruPerCpuHash = 10,

    /// <summary>BPF_MAP_TYPE_RINGBUF.</summary>
    RingBuffer = 27,

    /// <summary>BPF_MAP_TYPE_TASK_STORAGE.</summary>
    TaskStorage = 29,
}

/// <summary>Update flags (BPF_ANY, BPF_NOEXIST, BPF_EXIST).</summary>
public enum BpfUpdate : ulong
{
    /// <summary>Create or replace.</summary>
    Any = 0,

    /// <summary>Create only; fails with EEXIST when the key exists.</summary>
    NoExist = 1,

    /// <summary>Replace only; fails with ENOENT when the key is missing.</summary>
    Exist = 2,
}
