package app.secondheart.android

import org.junit.After
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.annotation.Config

@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34])
class PhoneFirstRunTest {
    private val app = RuntimeEnvironment.getApplication()

    @After
    fun forget() {
        app.getSharedPreferences("first_run", 0).edit().clear().commit()
    }

    @Test
    fun `a new install is welcomed until Start, even across launches, and then opens on Today`() {
        PhoneFirstRun(app).settle(databaseExisted = false)
        assertFalse("a new install", PhoneFirstRun(app).done())
        // Closed half-way through the welcome: the database is there now, the welcome still due.
        PhoneFirstRun(app).settle(databaseExisted = true)
        assertFalse("the welcome left half-way", PhoneFirstRun(app).done())
        PhoneFirstRun(app).markDone()
        assertTrue("the next launch", PhoneFirstRun(app).done())
    }

    @Test
    fun `an app updated from a version without the welcome is not welcomed again`() {
        PhoneFirstRun(app).settle(databaseExisted = true)
        assertTrue(PhoneFirstRun(app).done())
    }
}
