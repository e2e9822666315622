package app.secondheart.core

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.math.cos
import kotlin.math.sin
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.ActivityDetector
import uniffi.second_heart.ActivityEvent
import uniffi.second_heart.CsvOptions
import uniffi.second_heart.DetectedPosture
import uniffi.second_heart.Detection
import uniffi.second_heart.DetectionListener
import uniffi.second_heart.ImuSample
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.SensorAxis
import uniffi.second_heart.detectCsvFile
import uniffi.second_heart.startDetectCsvFile

/** Activity detection over an IMU recording the user imports: batch by batch, a whole file, a cancelled file. */
class ActivityDetectorApiTest {
    @TempDir
    lateinit var dir: Path

    /** The shank still and upright for half of [seconds] (read as sitting: a leg at rest), then level (lying), at 100 Hz. */
    private fun stillThenLying(seconds: Int): List<ImuSample> = (0 until seconds * 100).map { i ->
        val t = i / 100.0
        val tilt = if (t < seconds / 2.0) 0.0 else Math.toRadians(90.0)
        ImuSample(t, G * sin(tilt), 0.0, G * cos(tilt), 0.0, 0.0, 0.0)
    }

    private fun csv(samples: List<ImuSample>): Path = dir.resolve("imu.csv").also { file ->
        Files.writeString(file, "t_s,ax,ay,az,gx,gy,gz\n" + samples.joinToString("") { "${it.tS},${it.ax},${it.ay},${it.az},0,0,0\n" })
    }

    private fun List<ActivityEvent>.postures() = filterIsInstance<ActivityEvent.Posture>().map { it.posture }

    @Test
    fun `batches in, events out, and finish closes the recording`() {
        ActivityDetector(null).use { detector ->
            val samples = stillThenLying(120)
            val events = samples.chunked(500).flatMap { detector.push(it) } + detector.finish()
            val postures = events.postures()
            assertEquals(DetectedPosture.Sitting, postures.first(), "$events")
            assertEquals(DetectedPosture.Lying, postures.last(), "$events")
            // After finish a new recording may start again at time zero.
            detector.push(samples.take(10))
        }
    }

    @Test
    fun `a bad batch is refused whole and the recording goes on`() {
        ActivityDetector(SensorAxis(0.0, 0.0, 1.0)).use { detector ->
            val samples = stillThenLying(60)
            val events = detector.push(samples.take(3000)).toMutableList()
            val bad = samples.subList(3000, 3100).mapIndexed { i, s -> if (i == 50) s.copy(gy = Double.NaN) else s }
            val refused = assertThrows<SecondHeartException.InvalidInput> { detector.push(bad) }
            assertEquals("IMU sample", refused.field)
            assertThrows<SecondHeartException.InvalidInput> { detector.push(samples.subList(10, 20)) }
            events += detector.push(samples.drop(3000))
            events += detector.finish()
            val postures = events.postures()
            assertEquals(DetectedPosture.Sitting, postures.first(), "$events")
            assertEquals(DetectedPosture.Lying, postures.last(), "$events")
        }
    }

    @Test
    fun `a sensor axis must be a direction`() {
        val error = assertThrows<SecondHeartException.InvalidInput> { ActivityDetector(SensorAxis(0.0, 0.0, 0.0)) }
        assertEquals("sensor axis", error.field)
        assertThrows<SecondHeartException.InvalidInput> { ActivityDetector(SensorAxis(Double.NaN, 0.0, 1.0)) }
    }

    @Test
    fun `a whole file is detected, a bad line is named, a missing file is a File error`() {
        val detection = detectCsvFile(csv(stillThenLying(60)).toString(), CsvOptions())
        assertEquals(59.99, detection.durationS, 1e-6)
        assertEquals(0u, detection.steps)
        val postures = detection.posture.postures()
        assertEquals(DetectedPosture.Sitting, postures.first(), "$postures")
        assertEquals(DetectedPosture.Lying, postures.last(), "$postures")

        val bad = dir.resolve("bad.csv")
        Files.writeString(bad, "t_s,ax,ay,az,gx,gy,gz\n0,0,0,9.8,0,0,0\n0.01,0,0,nine,0,0,0\n")
        val error = assertThrows<SecondHeartException.InvalidInput> { detectCsvFile(bad.toString(), CsvOptions()) }
        assertTrue(error.reason.contains("line 3"), error.reason)

        val missing = assertThrows<SecondHeartException.File> { detectCsvFile(dir.resolve("none.csv").toString(), CsvOptions()) }
        assertEquals("file", missing.code())
        assertThrows<SecondHeartException.InvalidInput> { detectCsvFile(bad.toString(), CsvOptions(rateHz = Double.NaN)) }
    }

    /** A listener a test waits on; with [holdFirstProgress] the first report waits for [release]. */
    private class Outcome(private val holdFirstProgress: Boolean = false) : DetectionListener {
        val result = CompletableFuture<Any>()
        val progress = CopyOnWriteArrayList<Double>()
        val reported = CountDownLatch(1)
        val release = CountDownLatch(1)

        override fun onProgress(fraction: Double) {
            progress += fraction
            reported.countDown()
            if (holdFirstProgress) release.await(30, TimeUnit.SECONDS)
        }

        override fun onFinished(detection: Detection) {
            result.complete(detection)
        }

        override fun onFailed(error: SecondHeartException) {
            result.complete(error)
        }

        fun await(): Any = result.get(120, TimeUnit.SECONDS)
    }

    @Test
    fun `detection over a file runs on the library's runtime with progress`() {
        val file = csv(stillThenLying(600)).toString()
        val outcome = Outcome()
        startDetectCsvFile(file, CsvOptions(), outcome).use {
            assertEquals(detectCsvFile(file, CsvOptions()), outcome.await())
        }
        assertTrue(outcome.progress.size >= 10 && outcome.progress.last() > 0.9, "${outcome.progress}")
        assertTrue(outcome.progress.zipWithNext().all { (a, b) -> a < b })
    }

    @Test
    fun `a cancelled detection ends with Cancelled`() {
        val outcome = Outcome(holdFirstProgress = true)
        val handle = startDetectCsvFile(csv(stillThenLying(600)).toString(), CsvOptions(), outcome)
        assertTrue(outcome.reported.await(60, TimeUnit.SECONDS), "detection reports progress")
        handle.cancel()
        assertTrue(handle.isCancelled())
        outcome.release.countDown()
        val result = outcome.await()
        handle.close()
        assertTrue(result is SecondHeartException.Cancelled, "$result")
        assertEquals(1, outcome.progress.size, "no work after the cancel: ${outcome.progress}")
    }

    private companion object {
        const val G = 9.80665
    }
}
