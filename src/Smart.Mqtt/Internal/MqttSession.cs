namespace Smart.Mqtt.Internal;

/// <summary>Client-side session state that outlives a connection (MQTT 5 §4.1): packet identifiers, outgoing QoS 1/2
/// publishes awaiting acks, incoming QoS 2 ids awaiting PUBREL, and subscriptions to restore. All under <see cref="Sync"/>;
/// the current connection is swapped under the same lock so a publish is sent exactly once per connection.</summary>
internal sealed class MqttSession(int maxInflight)
{
    private readonly bool[] _idInUse = new bool[65536];
    private readonly Dictionary<ushort, MqttOutgoingPublish> _outgoing = [];
    private readonly HashSet<ushort> _incomingQos2 = [];
    private readonly Queue<MqttOutgoingPublish> _waiting = new();
    private int _limit = maxInflight;
    private ushort _nextId;
    private long _sequence;

    public object Sync { get; } = new();
    /// <summary>The broker's MQTT 5 Maximum Packet Size (§3.2.2.3.6) from the last CONNACK; int.MaxValue if none.</summary>
    public int MaxOutgoingPacketBytes { get; set; } = int.MaxValue;
    /// <summary>Filters to restore when the broker lost the session, in subscription order.</summary>
    public Dictionary<string, MqttQos> Subscriptions { get; } = [];
    /// <summary>The connection that sends new publishes; null while disconnected. Written under <see cref="Sync"/>.</summary>
    public MqttConnection? Current { get; private set; }

    public ushort AllocateId()
    {
        lock (Sync)
        {
            for (var i = 0; i < 65535; i++)
            {
                _nextId = _nextId == ushort.MaxValue ? (ushort)1 : (ushort)(_nextId + 1);
                if (!_idInUse[_nextId])
                {
                    _idInUse[_nextId] = true;
                    return _nextId;
                }
            }
        }
        throw new MqttException("All 65535 MQTT packet identifiers are in use (MaxInflight too high?).");
    }

    public void FreeId(ushort id)
    {
        lock (Sync) _idInUse[id] = false;
    }

    /// <summary>Registers a QoS 1/2 publish in call order. It is sent now if the window has room and a connection is up,
    /// otherwise when an ack frees a slot or on the next connection.</summary>
    public MqttOutgoingPublish Publish(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain)
    {
        lock (Sync)
        {
            var op = new MqttOutgoingPublish(topic, payload, qos, retain, ++_sequence);
            if (_outgoing.Count < _limit && _waiting.Count == 0) Start(op);
            else _waiting.Enqueue(op);
            return op;
        }
    }

    private void Start(MqttOutgoingPublish op)
    {
        op.PacketId = AllocateId();
        _outgoing.Add(op.PacketId, op);
        if (Current is { IsReady: true } c) c.SendPublish(op);
    }

    /// <summary>Starts waiting publishes while the window has room (skipping cancelled ones).</summary>
    private void Pump()
    {
        while (_outgoing.Count < _limit && _waiting.TryDequeue(out var op))
            if (!op.Task.IsCompleted) Start(op);
    }

    /// <summary>Cancels a publish that has not been sent yet; one already sent stays in flight.</summary>
    public void CancelWaiting(MqttOutgoingPublish op)
    {
        lock (Sync)
            if (op.PacketId == 0) op.TrySetCanceled();
    }

    /// <summary>The window: min(MaxInflight, the broker's MQTT 5 Receive Maximum, §3.2.2.3.3).</summary>
    public void SetLimit(int limit)
    {
        lock (Sync)
        {
            _limit = limit;
            Pump();
        }
    }

    public int Count
    {
        get { lock (Sync) return _outgoing.Count + _waiting.Count; }
    }

    /// <summary>PUBACK or PUBCOMP, or a failing PUBREC: the publish is finished.</summary>
    public MqttOutgoingPublish? Complete(ushort id)
    {
        lock (Sync)
        {
            if (!_outgoing.Remove(id, out var op)) return null;
            _idInUse[id] = false;
            Pump();
            return op;
        }
    }

    /// <summary>PUBREC with success: returns false when the id is unknown (then PUBREL carries 0x92).</summary>
    public bool Release(ushort id)
    {
        lock (Sync)
        {
            if (!_outgoing.TryGetValue(id, out var op) || op.Qos != MqttQos.ExactlyOnce) return false;
            op.Released = true;
            return true;
        }
    }

    public bool IsOutgoing(ushort id)
    {
        lock (Sync) return _outgoing.ContainsKey(id);
    }

    /// <summary>QoS 2 receiver state (MQTT 5 §4.3.3): ids we sent PUBREC for and have not seen PUBREL.</summary>
    public bool IncomingQos2Pending(ushort id)
    {
        lock (Sync) return _incomingQos2.Contains(id);
    }

    public void IncomingQos2Received(ushort id)
    {
        lock (Sync) _incomingQos2.Add(id);
    }

    public bool IncomingQos2Released(ushort id)
    {
        lock (Sync) return _incomingQos2.Remove(id);
    }

    /// <summary>Makes <paramref name="connection"/> current and resends unfinished publishes in their original order.</summary>
    public void Activate(MqttConnection connection, bool sessionPresent)
    {
        lock (Sync)
        {
            if (!sessionPresent) _incomingQos2.Clear();
            Current = connection;
            foreach (var op in _outgoing.Values.OrderBy(o => o.Sequence)) connection.SendPublish(op);
            connection.IsReady = true;
        }
    }

    public void Deactivate(MqttConnection connection)
    {
        lock (Sync)
        {
            if (Current == connection) Current = null;
        }
    }

    /// <summary>On a requested disconnect: fails every unfinished publish (their callers are waiting).</summary>
    public void FailAll(Exception reason)
    {
        List<MqttOutgoingPublish> ops;
        lock (Sync)
        {
            ops = [.. _outgoing.Values, .. _waiting];
            foreach (var op in _outgoing.Values) _idInUse[op.PacketId] = false;
            _outgoing.Clear();
            _waiting.Clear();
        }
        foreach (var op in ops) op.TrySetException(reason);
    }
}
