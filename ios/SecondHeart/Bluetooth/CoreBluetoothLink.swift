import CoreBluetooth
import Foundation

/// The Rust core's `BleLink` over CoreBluetooth: one sensor.
///
/// One operation is in flight at a time (the core never overlaps them);
/// each ends with its delegate callback, its own timeout, or the
/// cancellation of the Swift task that awaits it (the library cancels that
/// task when it drops the call, for instance on its own timeout or when the
/// sync's `TaskHandle` is cancelled). Notifications queue in order until the
/// core asks for them. All state lives on the central's serial queue,
/// where CoreBluetooth also calls the delegates.
final class CoreBluetoothLink: NSObject, BleLink, CBPeripheralDelegate, @unchecked Sendable {
    /// How long each kind of operation may take before it fails.
    enum Timeout {
        static let connect: TimeInterval = 15
        static let discover: TimeInterval = 10
        static let request: TimeInterval = 10
        static let disconnect: TimeInterval = 5
    }

    private struct Pending {
        let id: UUID
        let what: String
        /// The characteristic a read or subscription waits on.
        let characteristic: String?
        let continuation: CheckedContinuation<Data, Error>
        /// Undoes what the operation started when it times out or is cancelled.
        let abandon: () -> Void
    }

    private let manager: CBCentralManager
    private let peripheral: CBPeripheral
    private let queue: DispatchQueue
    private var pending: Pending?
    private var cancelled: Set<UUID> = []
    private var events: [BleLinkEvent] = []
    private var eventWaiter: (id: UUID, continuation: CheckedContinuation<BleLinkEvent, Error>)?
    private var characteristics: [String: CBCharacteristic] = [:]
    private var servicesLeft = 0

    init(manager: CBCentralManager, peripheral: CBPeripheral, queue: DispatchQueue) {
        self.manager = manager
        self.peripheral = peripheral
        self.queue = queue
        super.init()
        peripheral.delegate = self
    }

    /// The address the core keeps for this sensor.
    var address: String { peripheral.identifier.uuidString }

    /// Runs one operation: `start` (on the queue) begins it; a delegate
    /// callback, the timeout or the task's cancellation ends it.
    private func operation(
        _ what: String, characteristic: String? = nil, timeout: TimeInterval,
        abandon: @escaping () -> Void = {}, start: @escaping () -> Void
    ) async throws -> Data {
        try Task.checkCancellation()
        let id = UUID()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Data, Error>) in
                queue.async {
                    if self.cancelled.remove(id) != nil {
                        return continuation.resume(throwing: BleLinkError.Failed(reason: "\(what): cancelled"))
                    }
                    if let busy = self.pending {
                        return continuation.resume(throwing: BleLinkError.Failed(reason: "\(what) while \(busy.what) is in flight"))
                    }
                    self.pending = Pending(id: id, what: what, characteristic: characteristic, continuation: continuation, abandon: abandon)
                    start()
                    self.queue.asyncAfter(deadline: .now() + timeout) {
                        self.end(id, .failure(BleLinkError.Failed(reason: "\(what): no answer within \(Int(timeout)) s")), abandoning: true)
                    }
                }
            }
        } onCancel: {
            queue.async {
                if self.pending?.id == id {
                    self.end(id, .failure(BleLinkError.Failed(reason: "\(what): cancelled")), abandoning: true)
                } else {
                    self.cancelled.insert(id)
                }
            }
        }
    }

    /// Ends the pending operation (`id` nil: whichever is pending). On the queue.
    private func end(_ id: UUID?, _ result: Result<Data, Error>, abandoning: Bool = false) {
        guard let current = pending, id == nil || current.id == id else { return }
        pending = nil
        if abandoning { current.abandon() }
        current.continuation.resume(with: result)
    }

    private func failure(_ what: String, _ error: Error?) -> Error {
        BleLinkError.Failed(reason: "\(what): \(error?.localizedDescription ?? "failed")")
    }

    private func characteristic(_ uuid: String) throws -> CBCharacteristic {
        guard let found = queue.sync(execute: { characteristics[Self.key(uuid)] }) else {
            throw BleLinkError.Failed(reason: "the sensor has no characteristic \(uuid)")
        }
        return found
    }

    /// One spelling for a UUID: 128-bit, upper case (CoreBluetooth writes SIG UUIDs short).
    static func key(_ uuid: String) -> String {
        let hex = uuid.uppercased()
        switch hex.count {
        case 4: return "0000\(hex)-0000-1000-8000-00805F9B34FB"
        case 8: return "\(hex)-0000-1000-8000-00805F9B34FB"
        default: return hex
        }
    }

    // MARK: BleLink

    func connect() async throws {
        // One link serves every connection to its sensor: what the last one
        // left queued (late frames, its drop) is not this one's, and a wait
        // left from it ends here.
        queue.sync {
            events.removeAll()
            if let waiter = eventWaiter {
                eventWaiter = nil
                waiter.continuation.resume(throwing: BleLinkError.Failed(reason: "a new connection replaced this wait"))
            }
        }
        if peripheral.state != .connected {
            _ = try await operation("connecting", timeout: Timeout.connect, abandon: {
                self.manager.cancelPeripheralConnection(self.peripheral)
            }) {
                self.manager.connect(self.peripheral)
            }
        }
        // A restored peripheral may already be connected: discover again either way.
        _ = try await operation("discovering services", timeout: Timeout.discover) {
            self.characteristics = [:]
            self.peripheral.discoverServices(nil)
        }
    }

    func mtu() -> UInt16 {
        // CoreBluetooth negotiates the MTU itself; a write without response carries MTU - 3 bytes.
        UInt16(clamping: peripheral.maximumWriteValueLength(for: .withoutResponse) + 3)
    }

    func read(characteristic uuid: String) async throws -> Data {
        let c = try characteristic(uuid)
        return try await operation("reading \(uuid)", characteristic: Self.key(uuid), timeout: Timeout.request) {
            self.peripheral.readValue(for: c)
        }
    }

    func write(characteristic uuid: String, value: Data) async throws {
        let c = try characteristic(uuid)
        _ = try await operation("writing \(uuid)", timeout: Timeout.request) {
            self.peripheral.writeValue(value, for: c, type: .withResponse)
        }
    }

    func writeWithoutResponse(characteristic uuid: String, value: Data) async throws {
        let c = try characteristic(uuid)
        // No callback comes for these writes; wait for room in CoreBluetooth's queue first.
        if !peripheral.canSendWriteWithoutResponse {
            _ = try await operation("waiting to write \(uuid)", timeout: Timeout.request) {
                if self.peripheral.canSendWriteWithoutResponse { self.end(nil, .success(Data())) }
            }
        }
        peripheral.writeValue(value, for: c, type: .withoutResponse)
    }

    func subscribe(characteristic uuid: String) async throws {
        let c = try characteristic(uuid)
        _ = try await operation("subscribing to \(uuid)", characteristic: Self.key(uuid), timeout: Timeout.request) {
            self.peripheral.setNotifyValue(true, for: c)
        }
    }

    func nextEvent() async throws -> BleLinkEvent {
        let id = UUID()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<BleLinkEvent, Error>) in
                queue.async {
                    if self.cancelled.remove(id) != nil {
                        continuation.resume(throwing: BleLinkError.Failed(reason: "waiting for the sensor: cancelled"))
                    } else if self.events.isEmpty {
                        self.eventWaiter?.continuation.resume(throwing: BleLinkError.Failed(reason: "a newer wait replaced this one"))
                        self.eventWaiter = (id, continuation)
                    } else {
                        continuation.resume(returning: self.events.removeFirst())
                    }
                }
            }
        } onCancel: {
            queue.async {
                if let waiter = self.eventWaiter, waiter.id == id {
                    self.eventWaiter = nil
                    waiter.continuation.resume(throwing: BleLinkError.Failed(reason: "waiting for the sensor: cancelled"))
                } else {
                    self.cancelled.insert(id)
                }
            }
        }
    }

    func disconnect() async throws {
        guard peripheral.state == .connected || peripheral.state == .connecting else { return }
        _ = try await operation("disconnecting", timeout: Timeout.disconnect) {
            self.manager.cancelPeripheralConnection(self.peripheral)
        }
    }

    private func deliver(_ event: BleLinkEvent) {
        if let waiter = eventWaiter {
            eventWaiter = nil
            waiter.continuation.resume(returning: event)
        } else {
            events.append(event)
        }
    }

    // MARK: From BluetoothCentral (on the queue)

    func connected() {
        if pending?.what == "connecting" { end(nil, .success(Data())) }
    }

    func connectFailed(_ error: Error?) {
        end(nil, .failure(failure("connecting", error)))
    }

    /// The link dropped: a pending disconnect succeeded, anything else failed.
    func dropped(_ reason: String) {
        characteristics = [:]
        if pending?.what == "disconnecting" {
            end(nil, .success(Data()))
        } else {
            end(nil, .failure(BleLinkError.Failed(reason: reason)))
        }
        deliver(.disconnected)
    }

    // MARK: CBPeripheralDelegate (on the queue)

    func peripheral(_ peripheral: CBPeripheral, didDiscoverServices error: Error?) {
        guard error == nil, let services = peripheral.services, !services.isEmpty else {
            return end(nil, .failure(failure("service discovery", error)))
        }
        servicesLeft = services.count
        services.forEach { peripheral.discoverCharacteristics(nil, for: $0) }
    }

    func peripheral(_ peripheral: CBPeripheral, didDiscoverCharacteristicsFor service: CBService, error: Error?) {
        service.characteristics?.forEach { characteristics[Self.key($0.uuid.uuidString)] = $0 }
        servicesLeft -= 1
        if servicesLeft == 0 { end(nil, .success(Data())) }
    }

    func peripheral(_ peripheral: CBPeripheral, didUpdateValueFor characteristic: CBCharacteristic, error: Error?) {
        let key = Self.key(characteristic.uuid.uuidString)
        if let reading = pending, reading.what.hasPrefix("reading"), reading.characteristic == key {
            end(nil, error == nil ? .success(characteristic.value ?? Data()) : .failure(failure("read", error)))
        } else if error == nil {
            deliver(.notification(characteristic: characteristic.uuid.uuidString, value: characteristic.value ?? Data()))
        }
    }

    func peripheral(_ peripheral: CBPeripheral, didWriteValueFor characteristic: CBCharacteristic, error: Error?) {
        end(nil, error == nil ? .success(Data()) : .failure(failure("write", error)))
    }

    func peripheral(_ peripheral: CBPeripheral, didUpdateNotificationStateFor characteristic: CBCharacteristic, error: Error?) {
        guard pending?.characteristic == Self.key(characteristic.uuid.uuidString) else { return }
        end(nil, error == nil ? .success(Data()) : .failure(failure("subscribe", error)))
    }

    func peripheralIsReady(toSendWriteWithoutResponse peripheral: CBPeripheral) {
        if pending?.what.hasPrefix("waiting to write") == true { end(nil, .success(Data())) }
    }
}
