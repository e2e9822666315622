package app.secondheart.core

import java.nio.file.Path
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.CompressionAdvice
import uniffi.second_heart.ProfileChanges
import uniffi.second_heart.RingKind
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.Sex
import uniffi.second_heart.latestSchemaVersion

/** The profile and goals, as the settings screen reads and writes them. */
class ProfileApiTest {
    @TempDir
    lateinit var dir: Path

    private lateinit var core: SecondHeart

    @BeforeEach
    fun open() {
        core = SecondHeart.open(dir.resolve("second-heart.db").toString(), SettableClock(berlin("2026-11-21T12:00")))
    }

    @AfterEach
    fun close() = core.close()

    @Test
    fun `a new database has the default goals and the latest schema`() {
        val profile = core.profile().get()
        assertEquals(7000u, profile.stepsGoal)
        assertEquals(30u, profile.activeMinutesGoal)
        assertEquals(2000u, profile.hydrationGoalMl)
        assertEquals(false, profile.cautions.peripheralArterialDisease)
        assertEquals(latestSchemaVersion(), core.schemaVersion())
    }

    @Test
    fun `changes are saved, the rest stays, and Today's rings use the new goals`() {
        val before = core.profile().get()
        val after = core.profile().update(
            ProfileChanges(heightCm = 182.0, sex = Sex.MALE, stepsGoal = 9000u, quietFrom = "21:30", quietUntil = "07:15"),
        )
        assertEquals(182.0, after.heightCm)
        assertEquals(Sex.MALE, after.sex)
        assertEquals(9000u, after.stepsGoal)
        assertEquals("21:30", after.quietFrom)
        assertEquals("07:15", after.quietUntil)
        assertEquals(before.hydrationGoalMl, after.hydrationGoalMl)
        assertEquals(before.remindAfterMin, after.remindAfterMin)
        assertEquals(after, core.profile().get(), "what update returns is what was saved")
        assertEquals(9000.0, core.today().view().rings.single { it.kind == RingKind.STEPS }.goal)
    }

    @Test
    fun `the profile survives closing and reopening the database`() {
        core.profile().update(ProfileChanges(birthYear = 1961, weightKg = 80.5))
        core.close()
        core = SecondHeart.open(dir.resolve("second-heart.db").toString(), SettableClock(berlin("2026-11-22T12:00")))
        val profile = core.profile().get()
        assertEquals(1961, profile.birthYear)
        assertEquals(80.5, profile.weightKg)
    }

    @Test
    fun `a malformed quiet-hours time names the field`() {
        val before = core.profile().get()
        val error = assertThrows<SecondHeartException.InvalidInput> {
            core.profile().update(ProfileChanges(stepsGoal = 12_000u, quietFrom = "25:00"))
        }
        assertEquals("quiet hours start", error.field)
        assertEquals(before, core.profile().get(), "nothing of the refused change is saved")
    }

    @Test
    fun `an impossible height is refused and nothing is saved`() {
        val before = core.profile().get()
        assertThrows<SecondHeartException.InvalidInput> { core.profile().update(ProfileChanges(heightCm = -170.0)) }
        assertEquals(before, core.profile().get())
    }

    @Test
    fun `the compression advice is the core's gate - a low ankle-brachial index alone closes it`() {
        assertEquals(CompressionAdvice.Suitable, core.profile().compressionAdvice())
        val cautions = core.profile().get().cautions
        core.profile().update(ProfileChanges(cautions = cautions.copy(ankleBrachialIndex = 0.7)))
        val advice = core.profile().compressionAdvice()
        assertTrue(advice is CompressionAdvice.SeeDoctorFirst, "$advice")
        val reasons = (advice as CompressionAdvice.SeeDoctorFirst).reasons
        assertEquals(1, reasons.size, "$reasons")
        assertTrue(reasons.single().contains("0.70"), reasons.single())
        core.profile().update(ProfileChanges(cautions = cautions.copy(severeNeuropathy = true, ankleBrachialIndex = 1.1)))
        assertTrue((core.profile().compressionAdvice() as CompressionAdvice.SeeDoctorFirst).reasons.single().contains("neuropathy"))
        // The answers are replaced whole: given without an index, the index typed wrong is taken away.
        val noIndex = core.profile().update(ProfileChanges(cautions = cautions.copy(ankleBrachialIndex = null)))
        assertEquals(null, noIndex.cautions.ankleBrachialIndex)
        assertEquals(CompressionAdvice.Suitable, core.profile().compressionAdvice())
    }

    @Test
    fun `an optional figure emptied is taken away, and one left out stays`() {
        core.profile().update(ProfileChanges(weightKg = 80.0, birthYear = 1970))
        val kept = core.profile().update(ProfileChanges(stepsGoal = 8000u))
        assertEquals(80.0 to 1970, kept.weightKg to kept.birthYear)
        val cleared = core.profile().update(ProfileChanges(clearWeight = true))
        assertEquals(null, cleared.weightKg)
        assertEquals(1970, cleared.birthYear)
        // A value given with the clearing wins.
        assertEquals(75.0, core.profile().update(ProfileChanges(weightKg = 75.0, clearWeight = true)).weightKg)
    }
}
