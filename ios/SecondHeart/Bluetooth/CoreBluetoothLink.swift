import CoreBluetooth
import Foundation

/// The Rust core's `BleLink` over CoreBluetooth: one connected sensor.
/// Each operation waits for its delegate callback; the core keeps one in
/// flight and bounds each with a timeout. Notifications queue in order
/// until the core asks for them.
final class CoreBluetoothLink: NSObject, BleLink, CBCentralManagerDelegate, CBPeripheralDelegate, @unchecked Sendable {
    private let central: CBCentralManager
    private let peripheral: CBPeripheral
    private let queue = DispatchQueue(label: "app.secondheart.ble")
    private var pending: CheckedContinuation<Data, Error>?
    private var events: [BleLinkEvent] = []
    private var eventWaiter: CheckedContinuation<BleLinkEvent, Never>?
    private var characteristics: [CBUUID: CBCharacteristic] = [:]
    private var servicesLeft = 0

    init(central: CBCentralManager, peripheral: CBPeripheral) {
        self.central = central
        self.peripheral = peripheral
        super.init()
        peripheral.delegate = self
    }

    private func begin(_ start: @escaping () -> Void) async throws -> Data {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                self.pending = continuation
                start()
            }
        }
    }

    private func finish(_ result: Result<Data, Error>) {
        queue.async {
            self.pending?.resume(with: result)
            self.pending = nil
        }
    }

    private func failure(_ what: String, _ error: Error?) -> Error {
        BleLinkError.Failed(reason: "\(what): \(error?.localizedDescription ?? "failed")")
    }

    private func characteristic(_ uuid: String) throws -> CBCharacteristic {
        guard let c = characteristics[CBUUID(string: uuid)] else {
            throw BleLinkError.Failed(reason: "the sensor has no characteristic \(uuid)")
        }
        return c
    }

    // MARK: BleLink

    func connect() async throws {
        _ = try await begin { self.central.connect(self.peripheral) }
        _ = try await begin { self.peripheral.discoverServices(nil) }
    }

    func mtu() -> UInt16 {
        // CoreBluetooth negotiates the MTU itself; this is what one write may carry, plus the ATT header.
        UInt16(clamping: peripheral.maximumWriteValueLength(for: .withResponse) + 3)
    }

    func read(characteristic uuid: String) async throws -> Data {
        let c = try characteristic(uuid)
        return try await begin { self.peripheral.readValue(for: c) }
    }

    func write(characteristic uuid: String, value: Data) async throws {
        let c = try characteristic(uuid)
        _ = try await begin { self.peripheral.writeValue(value, for: c, type: .withResponse) }
    }

    func writeWithoutResponse(characteristic uuid: String, value: Data) async throws {
        let c = try characteristic(uuid)
        // No callback comes for these writes: CoreBluetooth queues them.
        guard peripheral.canSendWriteWithoutResponse else {
            throw BleLinkError.Failed(reason: "the link's write queue is full; try again")
        }
        peripheral.writeValue(value, for: c, type: .withoutResponse)
    }

    func subscribe(characteristic uuid: String) async throws {
        let c = try characteristic(uuid)
        _ = try await begin { self.peripheral.setNotifyValue(true, for: c) }
    }

    func nextEvent() async -> BleLinkEvent {
        await withCheckedContinuation { continuation in
            queue.async {
                if self.events.isEmpty {
                    self.eventWaiter = continuation
                } else {
                    continuation.resume(returning: self.events.removeFirst())
                }
            }
        }
    }

    func disconnect() async throws {
        central.cancelPeripheralConnection(peripheral)
    }

    private func deliver(_ event: BleLinkEvent) {
        queue.async {
            if let waiter = self.eventWaiter {
                self.eventWaiter = nil
                waiter.resume(returning: event)
            } else {
                self.events.append(event)
            }
        }
    }

    // MARK: CBCentralManagerDelegate

    func centralManagerDidUpdateState(_ central: CBCentralManager) {}

    func centralManager(_ central: CBCentralManager, didConnect peripheral: CBPeripheral) {
        finish(.success(Data()))
    }

    func centralManager(_ central: CBCentralManager, didFailToConnect peripheral: CBPeripheral, error: Error?) {
        finish(.failure(failure("connecting", error)))
    }

    func centralManager(_ central: CBCentralManager, didDisconnectPeripheral peripheral: CBPeripheral, error: Error?) {
        finish(.failure(failure("disconnected", error)))
        deliver(.disconnected)
    }

    // MARK: CBPeripheralDelegate

    func peripheral(_ peripheral: CBPeripheral, didDiscoverServices error: Error?) {
        guard error == nil, let services = peripheral.services else {
            return finish(.failure(failure("service discovery", error)))
        }
        servicesLeft = services.count
        services.forEach { peripheral.discoverCharacteristics(nil, for: $0) }
    }

    func peripheral(_ peripheral: CBPeripheral, didDiscoverCharacteristicsFor service: CBService, error: Error?) {
        service.characteristics?.forEach { characteristics[$0.uuid] = $0 }
        servicesLeft -= 1
        if servicesLeft == 0 { finish(.success(Data())) }
    }

    func peripheral(_ peripheral: CBPeripheral, didUpdateValueFor characteristic: CBCharacteristic, error: Error?) {
        let value = characteristic.value ?? Data()
        if pending != nil, !characteristic.isNotifying {
            finish(error == nil ? .success(value) : .failure(failure("read", error)))
        } else {
            deliver(.notification(characteristic: characteristic.uuid.uuidString.lowercased(), value: value))
        }
    }

    func peripheral(_ peripheral: CBPeripheral, didWriteValueFor characteristic: CBCharacteristic, error: Error?) {
        finish(error == nil ? .success(Data()) : .failure(failure("write", error)))
    }

    func peripheral(_ peripheral: CBPeripheral, didUpdateNotificationStateFor characteristic: CBCharacteristic, error: Error?) {
        finish(error == nil ? .success(Data()) : .failure(failure("subscribe", error)))
    }
}

/// Runs one sensor sync into the app's database on the library's runtime:
/// pairing (the first sync of the sensor at `address`) when `serial` is nil,
/// else a sync of the paired sensor `serial`. Cancelling the Swift task
/// cancels the library's task handle, so the sensor is told to stop and the
/// link dropped.
enum SensorSyncRunner {
    static func run(
        core: SecondHeart,
        link: CoreBluetoothLink,
        address: String,
        serial: String?,
        progress: @escaping @Sendable (UInt32, UInt32) -> Void
    ) async throws -> SyncReport {
        let box = HandleBox()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let listener = SyncContinuation(continuation: continuation, progress: progress)
                do {
                    if let serial {
                        box.handle = try core.sensors().sync(serial: serial, link: link, listener: listener)
                    } else {
                        box.handle = try core.sensors().pair(link: link, address: address, listener: listener)
                    }
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            box.handle?.cancel()
        }
    }
}

private final class HandleBox: @unchecked Sendable {
    var handle: TaskHandle?
}

private final class SyncContinuation: SyncListener, @unchecked Sendable {
    private let continuation: CheckedContinuation<SyncReport, Error>
    private let progress: @Sendable (UInt32, UInt32) -> Void

    init(continuation: CheckedContinuation<SyncReport, Error>, progress: @escaping @Sendable (UInt32, UInt32) -> Void) {
        self.continuation = continuation
        self.progress = progress
    }

    func onProgress(recordsDone: UInt32, recordsTotal: UInt32) throws {
        progress(recordsDone, recordsTotal)
    }

    func onFinished(report: SyncReport) throws {
        continuation.resume(returning: report)
    }

    func onFailed(error: SecondHeartError) throws {
        continuation.resume(throwing: error)
    }
}
