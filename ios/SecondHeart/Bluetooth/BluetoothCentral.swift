import CoreBluetooth
import Foundation

/// A sensor a scan found.
struct FoundSensor: Identifiable, Hashable {
    /// The address the core keeps for it: on iOS the peripheral's identifier.
    let id: String
    let name: String
    /// "Second Heart sensor · -61 dBm".
    let detail: String
}

/// The app's one `CBCentralManager`, created with a restore identifier so
/// that iOS relaunches the app in the background to finish a sync it had
/// started (`bluetooth-central` background mode), and the owner of every
/// `CoreBluetoothLink`. All CoreBluetooth work happens on one serial queue.
final class BluetoothCentral: NSObject, CBCentralManagerDelegate, @unchecked Sendable {
    /// Lets iOS hand the central's state back after relaunching the app.
    static let restoreIdentifier = "app.secondheart.central"
    /// The calf-pump service, as the core names it (docs/sensor-protocol.md).
    static let calfPumpService = CBUUID(string: sensorUuids().calfPumpService)
    /// Running Speed and Cadence: any foot pod (live cadence only).
    static let rscService = CBUUID(string: sensorUuids().runningSpeedAndCadence)

    let queue = DispatchQueue(label: "app.secondheart.ble")
    private var manager: CBCentralManager?
    private var links: [UUID: CoreBluetoothLink] = [:]
    private var seen: [UUID: CBPeripheral] = [:]
    private var found: [UUID: FoundSensor] = [:]
    private var scanWaiter: CheckedContinuation<[FoundSensor], Error>?
    /// The scan under way: only its own timer ends it (a Stop then a new
    /// scan within the first's 8 s had been cut short by the first's timer).
    private var scanID: UUID?
    /// Scans cancelled before they began (Stop tapped at once): they look for nothing.
    private var cancelledScans: Set<UUID> = []
    private var powerWaiters: [UUID: CheckedContinuation<Void, Error>] = [:]
    /// Waiters whose time to see Bluetooth on starts once the user has
    /// answered the permission alert (the state stays unknown while it is up).
    private var awaitingPermission: [UUID: TimeInterval] = [:]
    private var restored: [String] = []
    private var restoreHandler: (([String]) -> Void)?

    /// Creates the manager now when the user has already allowed Bluetooth,
    /// so iOS can restore its state at launch; otherwise the first scan does
    /// (and iOS asks for permission then, not at the app's first start).
    func startIfAllowed() {
        if CBManager.authorization == .allowedAlways { start() }
    }

    /// Creates the manager, with the restore identifier, once.
    func start() {
        queue.sync {
            guard manager == nil else { return }
            manager = CBCentralManager(delegate: self, queue: queue, options: [
                CBCentralManagerOptionRestoreIdentifierKey: Self.restoreIdentifier,
                CBCentralManagerOptionShowPowerAlertKey: true,
            ])
        }
    }

    /// Called (on the Bluetooth queue) with the addresses of the sensors iOS
    /// restored after relaunching the app, so the app re-attaches a sync to
    /// each; addresses restored before the handler was set are handed over at once.
    func onRestore(_ handler: @escaping ([String]) -> Void) {
        queue.async {
            self.restoreHandler = handler
            if !self.restored.isEmpty {
                handler(self.restored)
                self.restored = []
            }
        }
    }

    /// Waits until Bluetooth is on, at most `timeout` seconds.
    func poweredOn(timeout: TimeInterval = 5) async throws {
        start()
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                // Cancelled already (a Stop before Bluetooth was asked): the
                // cancel ran before there was a waiter to end, so end here.
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                queue.async {
                    switch self.manager?.state ?? .unknown {
                    case .poweredOn:
                        continuation.resume()
                    case .unauthorized:
                        continuation.resume(throwing: Self.notAllowed)
                    case .unsupported:
                        continuation.resume(throwing: BleLinkError.Failed(reason: "This device has no Bluetooth LE"))
                    default:
                        self.powerWaiters[id] = continuation
                        if CBManager.authorization == .notDetermined {
                            self.awaitingPermission[id] = timeout
                        } else {
                            self.powerTimeout(id, after: timeout)
                        }
                    }
                }
            }
        } onCancel: {
            queue.async {
                self.awaitingPermission.removeValue(forKey: id)
                self.powerWaiters.removeValue(forKey: id)?.resume(throwing: CancellationError())
            }
        }
    }

    private static let notAllowed = BleLinkError.Failed(
        reason: "Bluetooth is not allowed for Second Heart: turn it on in Settings › Privacy › Bluetooth")

    /// Gives waiter `id` up after `timeout` unless Bluetooth came on (on the queue).
    private func powerTimeout(_ id: UUID, after timeout: TimeInterval) {
        queue.asyncAfter(deadline: .now() + timeout) {
            self.powerWaiters.removeValue(forKey: id)?.resume(
                throwing: BleLinkError.Failed(reason: "Bluetooth is off: turn it on and try again"))
        }
    }

    /// Looks for Second Heart sensors and RSC foot pods for `seconds`;
    /// cancelling the task ends the scan early with what was found so far.
    func scan(seconds: TimeInterval = 8) async throws -> [FoundSensor] {
        try await poweredOn()
        let id = UUID()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[FoundSensor], Error>) in
                queue.async {
                    // Scans begin in turn: a cancel kept for an older one is of no more use.
                    let cancelled = self.cancelledScans.contains(id)
                    self.cancelledScans.removeAll()
                    if cancelled {
                        continuation.resume(returning: [])
                        return
                    }
                    self.scanWaiter?.resume(throwing: BleLinkError.Failed(reason: "a newer scan replaced this one"))
                    self.scanWaiter = continuation
                    self.scanID = id
                    self.found = [:]
                    self.manager?.scanForPeripherals(withServices: [Self.calfPumpService, Self.rscService])
                    self.queue.asyncAfter(deadline: .now() + seconds) {
                        if self.scanID == id { self.endScan() }
                    }
                }
            }
        } onCancel: {
            // The cancel may come before the scan began (it runs at once on
            // a task cancelled already): the scan then finds it and ends.
            queue.async {
                if self.scanID == id { self.endScan() } else { self.cancelledScans.insert(id) }
            }
        }
    }

    private func endScan() {
        guard let waiter = scanWaiter else { return }
        scanWaiter = nil
        scanID = nil
        manager?.stopScan()
        waiter.resume(returning: found.values.sorted { $0.name < $1.name })
    }

    /// The link to the sensor at `address` (a peripheral identifier), one per sensor.
    func link(address: String) throws -> CoreBluetoothLink {
        guard let id = UUID(uuidString: address) else {
            throw BleLinkError.Failed(reason: "\(address) is not a Bluetooth identifier on this phone")
        }
        start()
        return try queue.sync {
            if let link = links[id] { return link }
            guard let manager, let peripheral = seen[id] ?? manager.retrievePeripherals(withIdentifiers: [id]).first else {
                throw BleLinkError.Failed(reason: "the sensor \(address) is not known to this phone: scan for it first")
            }
            let link = CoreBluetoothLink(manager: manager, peripheral: peripheral, queue: queue)
            links[id] = link
            return link
        }
    }

    // MARK: CBCentralManagerDelegate (on `queue`)

    func centralManagerDidUpdateState(_ central: CBCentralManager) {
        guard central.state == .poweredOn else {
            if central.state == .unauthorized {
                // The user said no: every waiter hears it now.
                let waiting = powerWaiters.values
                powerWaiters = [:]
                awaitingPermission = [:]
                waiting.forEach { $0.resume(throwing: Self.notAllowed) }
            } else if central.state != .unknown && central.state != .resetting {
                // Answered, and Bluetooth is off: the time to switch it on starts now.
                awaitingPermission.forEach { powerTimeout($0.key, after: $0.value) }
                awaitingPermission = [:]
                links.values.forEach { $0.dropped("Bluetooth turned off") }
            }
            return
        }
        awaitingPermission = [:]
        let waiting = powerWaiters.values
        powerWaiters = [:]
        waiting.forEach { $0.resume() }
    }

    func centralManager(_ central: CBCentralManager, willRestoreState dict: [String: Any]) {
        let peripherals = dict[CBCentralManagerRestoredStatePeripheralsKey] as? [CBPeripheral] ?? []
        let addresses = peripherals.map { peripheral -> String in
            seen[peripheral.identifier] = peripheral
            if links[peripheral.identifier] == nil {
                links[peripheral.identifier] = CoreBluetoothLink(manager: central, peripheral: peripheral, queue: queue)
            }
            return peripheral.identifier.uuidString
        }
        guard !addresses.isEmpty else { return }
        if let restoreHandler { restoreHandler(addresses) } else { restored += addresses }
    }

    func centralManager(
        _ central: CBCentralManager, didDiscover peripheral: CBPeripheral,
        advertisementData: [String: Any], rssi RSSI: NSNumber
    ) {
        seen[peripheral.identifier] = peripheral
        let services = advertisementData[CBAdvertisementDataServiceUUIDsKey] as? [CBUUID] ?? []
        let ours = services.contains(Self.calfPumpService)
        let name = peripheral.name ?? advertisementData[CBAdvertisementDataLocalNameKey] as? String
            ?? (ours ? "Second Heart sensor" : "Foot pod")
        found[peripheral.identifier] = FoundSensor(
            id: peripheral.identifier.uuidString, name: name,
            detail: "\(ours ? "Second Heart sensor" : "RSC foot pod, live cadence only") · \(RSSI) dBm")
    }

    func centralManager(_ central: CBCentralManager, didConnect peripheral: CBPeripheral) {
        links[peripheral.identifier]?.connected()
    }

    func centralManager(_ central: CBCentralManager, didFailToConnect peripheral: CBPeripheral, error: Error?) {
        links[peripheral.identifier]?.connectFailed(error)
    }

    func centralManager(_ central: CBCentralManager, didDisconnectPeripheral peripheral: CBPeripheral, error: Error?) {
        links[peripheral.identifier]?.dropped(error?.localizedDescription ?? "the sensor disconnected")
    }
}
